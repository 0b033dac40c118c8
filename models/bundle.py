"""The model bundle: everything scoring needs, saved and loaded as one unit.

A bundle is a directory holding ``model.txt`` (LightGBM's text format), ``bundle.json`` (the
calibrator's numbers, the cut-offs, the feature list and provenance) and ``knowledge/`` (the open
domain knowledge tables the model was trained with: public lists, popularity, the name model).
Training writes it, MLflow stores it, scoring loads it; nothing else is needed to score.

``treeshap.npz`` is a cache beside them: the trees as TreeSHAP reads them
(:meth:`models.treeshap.TreeExplainer.arrays`, plain arrays, no pickles), so that scoring a small
export does not spend half a second reading a few hundred trees. It names the model it was made
from; one that is missing, unreadable or of another model is ignored and the trees are read from
``model.txt``, with the same numbers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from features.knowledge import Knowledge
from models.booster import NativeBooster
from models.calibrate import Calibrator
from models.cutoffs import Cutoffs
from models.errors import LinktoxError

if TYPE_CHECKING:
    import lightgbm as lgb

    from models.treeshap import TreeExplainer

MODEL_FILE = "model.txt"
META_FILE = "bundle.json"
EXPLAINER_FILE = "treeshap.npz"
FORMAT_VERSION = 1
KNOWLEDGE_DIR = "knowledge"
# Knowledge field -> file name, in the bundle and in data/knowledge/.
KNOWLEDGE_FILES: dict[str, str] = {
    "domains": "domains.parquet",
    "popularity": "popularity.parquet",
    "name_weights": "name_model.parquet",
}


log = logging.getLogger(__name__)

# One explainer per bundle, whichever thread asks first (module-level: a bundle is pickled to
# Spark's workers, and a lock cannot be).
_EXPLAINER_LOCK = threading.Lock()


class BundleError(LinktoxError):
    """The directory is not a complete, compatible model bundle."""


@dataclass
class Bundle:
    """A trained booster with its calibrator, cut-offs and feature list."""

    model_text: str
    calibrator: Calibrator
    cutoffs: Cutoffs
    feature_names: tuple[str, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    knowledge: Knowledge = field(default_factory=Knowledge.empty)

    def __post_init__(self) -> None:
        self._booster: lgb.Booster | None = None
        self._native: NativeBooster | None = None
        self._explainer: TreeExplainer | None = None
        self._saved_explainer: Path | None = None  # EXPLAINER_FILE of the folder loaded from

    @property
    def booster(self) -> lgb.Booster:
        """The LightGBM booster, parsed once from the text model (LightGBM is imported here, on
        first use, so that loading a bundle and every command's start stay light)."""
        if self._booster is None:
            import lightgbm as lgb

            self._booster = lgb.Booster(model_str=self.model_text)
        return self._booster

    @property
    def native(self) -> NativeBooster:
        """The same model behind LightGBM's C library: what scoring predicts with, without
        importing the ``lightgbm`` package (:mod:`models.booster`)."""
        if self._native is None:
            self._native = NativeBooster(self.model_text)
        return self._native

    def predict_raw(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated probability of toxic (``lightgbm.Booster.predict``, bit for bit)."""
        return self.native.predict(X, params="num_threads=0")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability that a reviewer would call the link toxic."""
        return self.calibrator.predict(self.predict_raw(X))

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-feature TreeSHAP contributions in log-odds (last column is the bias), computed
        leaf by leaf on distinct decision patterns of each tree (:mod:`models.treeshap`)."""
        return self._tree_explainer().contributions(X)

    def _tree_explainer(self) -> TreeExplainer:
        with _EXPLAINER_LOCK:
            if self._explainer is None:
                from models.treeshap import TreeExplainer

                saved = _read_arrays(self._saved_explainer)
                if saved is not None:
                    try:
                        self._explainer = TreeExplainer(self.native, saved)
                    except (ValueError, KeyError):
                        log.debug("%s: not this model's trees; reading model.txt", EXPLAINER_FILE)
                if self._explainer is None:
                    self._explainer = TreeExplainer(self.native)
            return self._explainer

    def warm_explainer(self) -> None:
        """Start reading the trees for TreeSHAP in a background thread (about half a second
        for a few hundred trees), while the caller reads and prepares the export; the first
        :meth:`contributions` waits for it. The values do not depend on which thread built it."""
        if self._explainer is None:
            threading.Thread(target=self._warm, name="linktox-explainer", daemon=True).start()

    def _warm(self) -> None:
        # A failure here is not reported: the first contributions() builds it again and raises.
        with contextlib.suppress(Exception):
            self._tree_explainer()

    def save(self, directory: Path) -> None:
        """Write the bundle; the JSON is sorted so equal bundles give equal bytes."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MODEL_FILE).write_text(self.model_text, encoding="utf-8")
        meta = {
            "format_version": FORMAT_VERSION,
            "feature_names": list(self.feature_names),
            "calibrator": self.calibrator.to_dict(),
            "cutoffs": self.cutoffs.to_dict(),
            "metadata": self.metadata,
        }
        (directory / META_FILE).write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _write_arrays(self._tree_explainer().arrays(), directory / EXPLAINER_FILE)

    @classmethod
    def load(cls, directory: Path) -> Bundle:
        """Read a bundle directory written by :meth:`save`."""
        model_path, meta_path = directory / MODEL_FILE, directory / META_FILE
        for path in (model_path, meta_path):
            if not path.is_file():
                raise BundleError(f"{directory}: not a model bundle (missing {path.name})")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise BundleError(f"{meta_path}: invalid JSON ({exc.msg}, line {exc.lineno})") from exc
        if meta.get("format_version") != FORMAT_VERSION:
            raise BundleError(
                f"{meta_path}: bundle format {meta.get('format_version')!r}, "
                f"expected {FORMAT_VERSION}"
            )
        bundle = cls(
            model_text=model_path.read_text(encoding="utf-8"),
            calibrator=Calibrator.from_dict(meta["calibrator"]),
            cutoffs=Cutoffs(**meta["cutoffs"]),
            feature_names=tuple(meta["feature_names"]),
            metadata=meta.get("metadata", {}),
            knowledge=_load_knowledge(directory / KNOWLEDGE_DIR),
        )
        bundle._saved_explainer = directory / EXPLAINER_FILE
        return bundle


def _write_arrays(arrays: dict[str, np.ndarray], path: Path) -> None:
    """``numpy.savez_compressed``, byte for byte the same for the same arrays (no timestamps in
    the zip entries), so that DVC sees an unchanged bundle as unchanged."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as out:
                np.lib.format.write_array(out, np.asanyarray(arrays[name]), allow_pickle=False)


def _read_arrays(path: Path | None) -> dict[str, np.ndarray] | None:
    """The arrays of an ``.npz`` file, or None where there is none or it cannot be read (a
    cache: the caller falls back to the source)."""
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {name: saved[name] for name in saved.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        log.debug("%s: unreadable (%s); reading model.txt", path, exc)
        return None


def _load_knowledge(directory: Path) -> Knowledge:
    """The bundle's knowledge tables (read lazily); none for a bundle trained without them."""
    if not directory.is_dir():
        return Knowledge.empty()
    missing = [name for name in KNOWLEDGE_FILES.values() if not (directory / name).is_file()]
    if missing:
        raise BundleError(f"{directory}: incomplete knowledge (missing {', '.join(missing)})")
    frames = {k: pl.scan_parquet(directory / name) for k, name in KNOWLEDGE_FILES.items()}
    return Knowledge(**frames)
