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


class ReaderNet(nn.Module):
    def __init__(self, model_dir: Path, n_features: int, trained_layers: int | None = None) -> None:
        """``trained_layers``: how many of the top encoder layers train (None: all of them)."""
        super().__init__()
        import transformers
        from transformers import AutoModel

        transformers.logging.disable_progress_bar()
        self.bert = AutoModel.from_pretrained(str(model_dir))
        layers = self.bert.config.num_hidden_layers
        self.trained_layers = layers if trained_layers is None else trained_layers
        self.head = nn.Linear(self.bert.config.hidden_size + n_features, 1)
        for name, parameter in self.bert.named_parameters():
            parameter.requires_grad = name.startswith(self.trained_prefixes())

    def trained_prefixes(self) -> tuple[str, ...]:
        first = self.bert.config.num_hidden_layers - self.trained_layers
        return tuple(f"encoder.layer.{i}." for i in range(first, self.bert.config.num_hidden_layers))

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The tensors training changes: what is shipped, the rest being the wheel's."""
        prefixes = self.trained_prefixes()
        state = {f"bert.{k}": v for k, v in self.bert.state_dict().items() if k.startswith(prefixes)}
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        return state

    def _mask(self, attention_mask: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        # An additive mask over the keys, as BERT's eager attention takes it.
        return (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min

    def lower(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (computed once per pair in training)."""
        hidden = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        mask = self._mask(attention_mask, hidden)
        for layer in self.bert.encoder.layer[: self.bert.config.num_hidden_layers - self.trained_layers]:
            hidden = layer(hidden, attention_mask=mask)
        return hidden

    def upper(self, hidden: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Logits from the frozen layers' output."""
        mask = self._mask(attention_mask, hidden)
        for layer in self.bert.encoder.layer[self.bert.config.num_hidden_layers - self.trained_layers :]:
            hidden = layer(hidden, attention_mask=mask)
        weights = attention_mask[..., None].to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
        return self.head(torch.cat([pooled, features], dim=-1)).squeeze(-1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor, features: torch.Tensor
    ) -> torch.Tensor:
        """Probabilities."""
        return torch.sigmoid(self.upper(self.lower(input_ids, attention_mask, token_type_ids), attention_mask, features))
