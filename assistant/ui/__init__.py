"""The Streamlit chat app (``assistant ui``): a thin layer over ``assistant.Assistant``.

``app.py`` is the Streamlit script; ``render.py`` renders answers' sources as escaped HTML and
``uploads.py`` saves uploaded files safely and ingests them. None of them retrieves or answers.
"""

from pathlib import Path

APP_PATH = Path(__file__).with_name("app.py")
"""The script ``streamlit run`` is given."""
