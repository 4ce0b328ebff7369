"""The classifier pipeline and its file: build, save with a model card, load and check."""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import joblib
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline

from spamguard.features import FEATURE_NAMES, FEATURE_VERSION, BlockFeaturizer

MODEL_FILE = "spamguard.joblib"
CARD_FILE = "model-card.json"


class ModelError(RuntimeError):
    """A model file that cannot be used with this version of spamguard."""


def build_pipeline(random_state: int = 0) -> Pipeline:
    """Features and classifier in one estimator, so training and inference cannot drift."""
    return Pipeline([
        ("features", BlockFeaturizer(random_state=random_state)),
        ("classifier", HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.1, max_leaf_nodes=63, min_samples_leaf=40,
            l2_regularization=1.0, early_stopping=False, random_state=random_state,
        )),
    ])


@dataclass(frozen=True)
class LoadedModel:
    pipeline: Pipeline
    card: dict
    path: Path


def default_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(str(resources.files("spamguard").joinpath("models", MODEL_FILE)))


def save_model(pipeline: Pipeline, directory: Path, card: dict) -> Path:
    """Write the model and its card (feature version, names, metrics) side by side."""
    directory.mkdir(parents=True, exist_ok=True)
    card = {
        **card,
        "feature_version": FEATURE_VERSION,
        "feature_names": list(FEATURE_NAMES),
        "scikit_learn_version": sklearn.__version__,
    }
    path = directory / MODEL_FILE
    joblib.dump({"pipeline": pipeline, "card": card}, path, compress=3)
    (directory / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_model(path: Path | str | None = None) -> LoadedModel:
    """Load a saved model and refuse one built for other features."""
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelError(f"no spamguard model at {path}; train one with `spamguard train`")
    saved = joblib.load(path)
    card = saved.get("card", {}) if isinstance(saved, dict) else {}
    version = card.get("feature_version")
    if version != FEATURE_VERSION:
        raise ModelError(
            f"model {path} was built for feature version {version!r}, but this spamguard computes "
            f"feature version {FEATURE_VERSION!r}; retrain it with `spamguard train`"
        )
    return LoadedModel(pipeline=saved["pipeline"], card=card, path=path)
