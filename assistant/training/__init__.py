"""Training the answer verifier (``python -m assistant.training``): pairs from the SQuAD 2.0 training
pool, a cross-encoder fine-tuned on them, cross-validated by article, and the weights and model card
written into ``assistant/models``. Needs torch (installed with the project); answering never imports it.
"""
