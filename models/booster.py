"""A trained LightGBM model, called through LightGBM's own C library for scoring.

The ``lightgbm`` Python package imports scikit-learn, pandas and SciPy when it is imported (about
a second, longer than scoring a thousand links), and scoring needs none of them: it needs the
model's predictions and TreeSHAP contributions, which LightGBM's C library computes. This module
loads that same library (the one the ``lightgbm`` package ships and calls) with ctypes and makes
the same documented C API calls as ``lightgbm.Booster.predict`` on a dense float64 matrix, so the
results are the same numbers, bit for bit (``tests/models/test_booster.py``). Training still uses
the ``lightgbm`` package.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import platform
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import LinktoxError

# Prediction kinds and layouts of LightGBM's C API (c_api.h).
NORMAL, RAW_SCORE, LEAF_INDEX, CONTRIB = 0, 1, 2, 3
_DTYPE_FLOAT64 = 1
_COL_MAJOR, _ROW_MAJOR = 0, 1


class BoosterError(LinktoxError):
    """LightGBM's C library refused a call (a malformed model, a wrong number of features)."""


@cache
def _library() -> ctypes.CDLL:
    """LightGBM's shared library, found where the installed ``lightgbm`` package keeps it,
    without importing the package."""
    spec = importlib.util.find_spec("lightgbm")
    if spec is None or not spec.submodule_search_locations:
        raise BoosterError("LightGBM is not installed (needed to score)")
    package = Path(next(iter(spec.submodule_search_locations)))
    name = {"Windows": "lib_lightgbm.dll", "Darwin": "lib_lightgbm.dylib"}.get(
        platform.system(), "lib_lightgbm.so"
    )
    for folder in (package / "lib", package / "bin", package.parent):
        if (folder / name).is_file():
            lib = ctypes.cdll.LoadLibrary(str(folder / name))
            lib.LGBM_GetLastError.restype = ctypes.c_char_p
            return lib
    raise BoosterError(f"{package}: LightGBM's library {name} not found")


def _call(status: int) -> None:
    if status != 0:
        message = _library().LGBM_GetLastError().decode("utf-8", "replace")
        raise BoosterError(f"LightGBM: {message}")


class NativeBooster:
    """A LightGBM model loaded from its text format, predicting through the C API.

    One handle serves one thread at a time: a prediction over some of the trees sets which
    trees the handle predicts with, so threads that predict over different trees each need
    their own handle (:meth:`copy`).
    """

    def __init__(self, model_text: str) -> None:
        self.model_text = model_text
        lib = _library()
        self._handle = ctypes.c_void_p()
        iterations = ctypes.c_int(0)
        _call(
            lib.LGBM_BoosterLoadModelFromString(
                ctypes.c_char_p(model_text.encode("utf-8")),
                ctypes.byref(iterations),
                ctypes.byref(self._handle),
            )
        )
        self.num_iterations = iterations.value
        count = ctypes.c_int(0)
        _call(lib.LGBM_BoosterGetNumFeature(self._handle, ctypes.byref(count)))
        self.num_features = count.value
        _call(lib.LGBM_BoosterNumModelPerIteration(self._handle, ctypes.byref(count)))
        self.trees_per_iteration = count.value

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            _library().LGBM_BoosterFree(handle)

    def copy(self) -> NativeBooster:
        """Another handle on the same model, for another thread."""
        return NativeBooster(self.model_text)

    def predict(
        self,
        X: np.ndarray,
        kind: int = NORMAL,
        start_iteration: int = 0,
        num_iterations: int = -1,
        params: str = "",
    ) -> np.ndarray:
        """What ``lightgbm.Booster.predict`` returns for a 2-D float matrix: probabilities
        (``NORMAL``), raw scores, leaf indices (one column per tree) or TreeSHAP contributions
        (one column per feature, then the expected value)."""
        if X.ndim != 2:
            raise ValueError("expected a 2-D feature matrix")
        # A column-major matrix (what polars' to_numpy gives) is read in place, as the
        # lightgbm package does, rather than copied into rows.
        column_major = X.flags["F_CONTIGUOUS"] and not X.flags["C_CONTIGUOUS"]
        data = np.asarray(X, dtype=np.float64, order="F" if column_major else "C")
        rows, cols = data.shape
        lib = _library()
        size = ctypes.c_int64(0)
        _call(
            lib.LGBM_BoosterCalcNumPredict(
                self._handle,
                ctypes.c_int(rows),
                ctypes.c_int(kind),
                ctypes.c_int(start_iteration),
                ctypes.c_int(num_iterations),
                ctypes.byref(size),
            )
        )
        out = np.empty(size.value, dtype=np.float64)
        written = ctypes.c_int64(0)
        _call(
            lib.LGBM_BoosterPredictForMat(
                self._handle,
                data.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                ctypes.c_int(_DTYPE_FLOAT64),
                ctypes.c_int32(rows),
                ctypes.c_int32(cols),
                ctypes.c_int(_COL_MAJOR if column_major else _ROW_MAJOR),
                ctypes.c_int(kind),
                ctypes.c_int(start_iteration),
                ctypes.c_int(num_iterations),
                ctypes.c_char_p(params.encode("utf-8")),
                ctypes.byref(written),
                out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            )
        )
        if written.value != size.value:
            raise BoosterError(f"LightGBM wrote {written.value} predictions, not {size.value}")
        if kind == LEAF_INDEX:
            return out.astype(np.int32).reshape(rows, -1)
        if rows and size.value != rows:
            return out.reshape(rows, -1)
        return out

    def dump(self) -> dict[str, Any]:
        """The model as LightGBM's JSON dump (``lightgbm.Booster.dump_model``)."""
        lib = _library()
        length = ctypes.c_int64(0)
        capacity = 1 << 20
        while True:
            buffer = ctypes.create_string_buffer(capacity)
            _call(
                lib.LGBM_BoosterDumpModel(
                    self._handle,
                    ctypes.c_int(0),
                    ctypes.c_int(-1),
                    ctypes.c_int(0),
                    ctypes.c_int64(capacity),
                    ctypes.byref(length),
                    buffer,
                )
            )
            if length.value <= capacity:
                return json.loads(buffer.value.decode("utf-8"))
            capacity = length.value
