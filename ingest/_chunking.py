"""Token-aware chunking with exact character spans, on llama-index's ``SentenceSplitter``.

Chunk sizes count cl100k tokens (tiktoken, offline) and include the title that is embedded with each
chunk, so a chunk fits the embedding model's 256-word-piece window. Every chunk records its span
``[start_char_idx, end_char_idx)`` in the document text; ``chunk`` checks that the span really slices to
the chunk text, because citations are later cut from those spans.
"""

from __future__ import annotations

from llama_index.core import Document
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import BaseNode, TextNode

from assistant import _corpus as schema
from assistant._resources import tokenizer
from assistant._sentences import split_sentences
from assistant.settings import Settings

# Bump when chunk boundaries change: files stored by an older chunker are chunked again on the next run.
# 3: a period inside a name written with a capital before it ("pythonX.Y") ends no sentence.
VERSION = 3
# Only the title helps the embedding find a chunk; the rest is bookkeeping. The LLM prompt writes its own
# header per passage (answering/generative.py), so llama-index's LLM view holds no more than the title:
# the splitter reserves room in every chunk for the longer of the two views, and a source and date there
# made ~15% more, smaller chunks for no reader.
SHOWN_METADATA = {schema.TITLE}
# llama-index reserves room for the metadata's tokens but not for the blank line its node template puts
# between metadata and text (1 token), and its count of a chunk's pieces, each tokenized on its own, can
# fall a token short of the joined text (seen at 64-token chunks); without this slack chunks overshoot.
_SPLITTER_SLACK_TOKENS = 2
# Keys added to chunks after splitting must be excluded up front: chunks copy the lists from their document.
CHUNK_KEYS = {schema.PAGE, schema.SLIDE, schema.EMBED_HASH}


def chunk_id(doc_id: str, position: int) -> str:
    """Deterministic: re-ingesting a file rewrites the same ids instead of adding new ones."""
    return f"{doc_id}-{position:05d}"


def splitter(settings: Settings) -> SentenceSplitter:
    return SentenceSplitter(
        chunk_size=settings.chunk_tokens - _SPLITTER_SLACK_TOKENS,
        chunk_overlap=settings.chunk_overlap,
        tokenizer=tokenizer(),
        paragraph_separator="\n\n",
        chunking_tokenizer_fn=sentence_pieces,
        id_func=lambda position, document: chunk_id(document.doc_id, position),
    )


def sentence_pieces(text: str) -> list[str]:
    """``text`` cut where the answerer's sentences start; the pieces join back to ``text`` exactly.

    Replaces llama-index's default, NLTK's punkt: importing NLTK costs 3-4 s of every ingest (a quarter
    of a 200-chunk one), and chunks that break where the answerer's sentences break never cut a
    sentence the answerer will quote.
    """
    starts = [s.start for s in split_sentences(text)][1:]
    return [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)]) if b > a]


def exclude_metadata(document: Document) -> None:
    """Keep bookkeeping metadata out of embedding and LLM text (chunks inherit these lists)."""
    keys = set(document.metadata) | CHUNK_KEYS
    document.excluded_embed_metadata_keys = sorted(keys - SHOWN_METADATA)
    document.excluded_llm_metadata_keys = sorted(keys - SHOWN_METADATA)


def check_spans(document: Document, nodes: list[BaseNode]) -> list[TextNode]:
    """Make sure each chunk's span slices the document text to exactly the chunk text."""
    checked: list[TextNode] = []
    search_from = 0
    for node in nodes:
        assert isinstance(node, TextNode)
        text = node.text
        start = node.start_char_idx
        if start is None or document.text[start : start + len(text)] != text:
            start = document.text.find(text, search_from)
            if start < 0:
                raise ValueError(f"chunk {node.node_id} is not a substring of its document")
        node.start_char_idx, node.end_char_idx = start, start + len(text)
        # Not start + 1: when the overlap carries a whole short chunk, the next one starts at the same place.
        search_from = start
        checked.append(node)
    return checked
