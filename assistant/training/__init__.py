"""Fitting the answer verifier (``python -m assistant.training``): pairs from the SQuAD 2.0 training pool
with the answer path's own shortlists, the reader fine-tuned on them (torch, installed with the project;
answering runs the exported graph on onnxruntime), a ranker and a decision fitted and cross-validated by
article, written with a model card into ``assistant/models``.
"""
