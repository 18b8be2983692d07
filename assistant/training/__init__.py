"""Fitting the answer verifier (``python -m assistant.training``): pairs from the SQuAD 2.0 training pool
with the answer path's own shortlists, a ranker and a decision fitted on them and cross-validated by
article, written with a model card into ``assistant/models``. ``--cross-encoder`` also runs the MiniLM
cross-encoder experiment (needs torch, installed with the project); answering never imports torch.
"""
