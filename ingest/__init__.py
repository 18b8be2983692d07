"""Writing the store: ``ingest.pipeline`` (``ingest``, ``IngestReport``, ``IngestProgress``; front doors call
it through ``Assistant.ingest``) and ``ingest.loaders`` (``load_document``, ``SUPPORTED_SUFFIXES``). The
``_``-prefixed modules are its implementation."""
