"""The model file: save/load round trip, the model card, refusals, and a Cleaner that pickles cheaply."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn

from conftest import synthetic_documents
from spamguard import Cleaner, Label, ModelError
from spamguard.features import FEATURE_NAMES, FEATURE_VERSION
from spamguard.model import CARD_FILE, MODEL_FILE, default_model_path, load_model, save_model


@pytest.fixture(scope="module")
def saved(fitted_pipeline, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("model")
    return save_model(fitted_pipeline, directory, {"training_data": {"documents": 6}, "seed": 0})


def test_round_trip_predicts_the_same(fitted_pipeline, saved: Path) -> None:
    loaded = load_model(saved)
    refs, _ = synthetic_documents(3)
    np.testing.assert_array_equal(loaded.pipeline.predict_proba(refs), fitted_pipeline.predict_proba(refs))
    assert loaded.path == saved
    assert list(loaded.pipeline.classes_) == ["boilerplate", "content", "spam"]


def test_card_is_written_beside_the_model(saved: Path) -> None:
    assert saved.name == MODEL_FILE
    card = json.loads((saved.parent / CARD_FILE).read_text(encoding="utf-8"))
    assert card["feature_version"] == FEATURE_VERSION
    assert card["feature_names"] == list(FEATURE_NAMES)
    assert card["scikit_learn_version"] == sklearn.__version__
    assert card["training_data"] == {"documents": 6}
    assert load_model(saved).card == card


def test_save_creates_the_directory(fitted_pipeline, tmp_path: Path) -> None:
    path = save_model(fitted_pipeline, tmp_path / "a" / "b", {})
    assert path.is_file() and (tmp_path / "a" / "b" / CARD_FILE).is_file()


@pytest.mark.parametrize("version", ["0", "999", None])
def test_other_feature_version_is_refused(fitted_pipeline, tmp_path: Path, version) -> None:
    path = tmp_path / MODEL_FILE
    joblib.dump({"pipeline": fitted_pipeline, "card": {"feature_version": version}}, path)
    with pytest.raises(ModelError) as raised:
        load_model(path)
    message = str(raised.value)
    assert repr(version) in message
    assert repr(FEATURE_VERSION) in message
    assert "spamguard train" in message


def test_file_without_a_card_is_refused(tmp_path: Path) -> None:
    path = tmp_path / MODEL_FILE
    joblib.dump(["not", "a", "model"], path)
    with pytest.raises(ModelError, match="feature version"):
        load_model(path)


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / MODEL_FILE
    with pytest.raises(ModelError, match="no spamguard model") as raised:
        load_model(missing)
    assert str(missing) in str(raised.value)
    with pytest.raises(ModelError):
        Cleaner(model=missing)


def test_model_error_is_public_and_a_runtime_error() -> None:
    import spamguard

    assert spamguard.ModelError is ModelError
    assert issubclass(ModelError, RuntimeError)


def test_default_model_path_is_inside_the_package() -> None:
    path = default_model_path()
    assert path.name == MODEL_FILE
    assert path.parent.name == "models"
    assert path.parent.parent.name == "spamguard"


# ---------------------------------------------------------------- Cleaner on a saved model


def test_cleaner_pickles_small_and_works_after(saved: Path) -> None:
    cleaner = Cleaner(model=saved, threshold=0.7, strip=("spam",))
    data = pickle.dumps(cleaner)
    assert len(data) < 1000
    clone = pickle.loads(data)
    assert (clone.model_path, clone.threshold, clone.strip) == (str(saved), 0.7, frozenset({Label.SPAM}))
    text = "Home | News | Sport | Weather\n\nThe council voted on Tuesday to rebuild the bridge.\n"
    assert clone.clean(text).to_dict() == cleaner.clean(text).to_dict()


def test_cleaner_loads_each_model_once_per_process(saved: Path) -> None:
    first, second = Cleaner(model=saved), Cleaner(model=saved)
    assert first._model is second._model
    assert pickle.loads(pickle.dumps(first))._model is first._model


def test_cleaner_exposes_the_model_card(saved: Path) -> None:
    assert Cleaner(model=saved).model_card["feature_version"] == FEATURE_VERSION


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_out_of_range(saved: Path, threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        Cleaner(model=saved, threshold=threshold)


def test_unknown_strip_label(saved: Path) -> None:
    with pytest.raises(ValueError):
        Cleaner(model=saved, strip=("junk",))


def test_empty_strip_keeps_every_byte(saved: Path) -> None:
    text = "Home | News | Sport\n\ncheap viagra buy viagra online viagra pills\n\nThe council voted.\n"
    result = Cleaner(model=saved, strip=()).clean(text)
    assert result.text == text
    assert result.removed == ()
    assert len(result.blocks) == 3
