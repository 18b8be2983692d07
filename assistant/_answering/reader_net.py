"""The reader's network in torch: what training fine-tunes and what is exported to ONNX for answering.

MiniLM from the wheel reads "[CLS] question [SEP] sentence | title: neighbours [SEP]"; its word pieces are
mean-pooled (the way it was trained to pool) and a linear head reads the pooled vector with the
answerer's signals (``verifier.FEATURES``). The word-piece embeddings stay the wheel's (frozen in
training), so only the encoder layers and the head are shipped (``reader.pack``).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

#: What fine-tuning changes in the wheel's model: every encoder layer (and the head, outside it).
_TRAINED = "encoder."


class ReaderNet(nn.Module):
    def __init__(self, model_dir: Path, n_features: int) -> None:
        super().__init__()
        import transformers
        from transformers import AutoModel

        transformers.logging.disable_progress_bar()
        self.bert = AutoModel.from_pretrained(str(model_dir))
        self.head = nn.Linear(self.bert.config.hidden_size + n_features, 1)
        for name, parameter in self.bert.named_parameters():
            parameter.requires_grad = name.startswith(_TRAINED)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The tensors training changes: what is shipped, the rest being the wheel's."""
        state = {f"bert.{k}": v for k, v in self.bert.state_dict().items() if k.startswith(_TRAINED)}
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        return state

    def embed(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        """The word-piece embeddings (frozen: computed once per pair in training)."""
        return self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)

    def read(self, hidden: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Logits from the embeddings: the encoder layers, mean pooling, the head."""
        # An additive mask over the keys, as BERT's eager attention takes it.
        mask = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        for layer in self.bert.encoder.layer:
            hidden = layer(hidden, attention_mask=mask)
        weights = attention_mask[..., None].to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
        return self.head(torch.cat([pooled, features], dim=-1)).squeeze(-1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor, features: torch.Tensor
    ) -> torch.Tensor:
        """Probabilities."""
        return torch.sigmoid(self.read(self.embed(input_ids, token_type_ids), attention_mask, features))
