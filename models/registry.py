"""MLflow helpers: where to track, log a bundle as a registered version, resolve, alias.

The tracking URI is chosen by the caller (``pipeline.paths.tracking_uri``: the option, then
``MLFLOW_TRACKING_URI``, then the project's SQLite file); importing this module changes nothing.
MLflow (about two seconds to import) is imported inside the functions that talk to it, so that
scoring with a local bundle, and every command's start, never pays for it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.bundle import META_FILE, Bundle
from models.errors import LinktoxError

if TYPE_CHECKING:
    import pandas as pd
    from mlflow import MlflowClient

log = logging.getLogger(__name__)

REGISTERED_MODEL = "linktox-toxicity"
EXPERIMENT = "linktox"
CHAMPION = "champion"
CHALLENGER = "challenger"
_PYFUNC_CODE = Path(__file__).with_name("mlflow_model.py")


class RegistryError(LinktoxError):
    """A model reference that cannot be resolved, or a registry that cannot be reached."""


def _client() -> MlflowClient:
    from mlflow import MlflowClient

    return MlflowClient()


def _tracking_uri() -> str:
    import mlflow

    return mlflow.get_tracking_uri()


def configure(uri: str) -> str:
    """Point MLflow at the chosen store and keep its chatter quiet; returns the URI."""
    import mlflow

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri


def ensure_experiment(name: str = EXPERIMENT) -> str:
    """Create the experiment on first use, with artifacts stored beside a SQLite store."""
    client = _client()
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    uri = _tracking_uri()
    location = None
    if uri.startswith("sqlite:///"):
        location = (Path(uri.removeprefix("sqlite:///")).parent / "mlartifacts").as_uri()
    return client.create_experiment(name, artifact_location=location)


def log_bundle(
    bundle_dir: Path, example: pd.DataFrame, registered_name: str = REGISTERED_MODEL
) -> str:
    """Log the bundle as a pyfunc model with its signature and register a new version.

    Must be called inside an active run. Returns the new version number.
    """
    import mlflow
    from mlflow.models import infer_signature

    bundle = Bundle.load(bundle_dir)
    from models.mlflow_model import LinktoxPyfunc

    wrapper = LinktoxPyfunc()
    wrapper.bundle = bundle
    signature = infer_signature(example, wrapper.predict(None, example))
    info = mlflow.pyfunc.log_model(
        name="model",
        python_model=str(_PYFUNC_CODE),
        artifacts={"bundle": str(bundle_dir)},
        signature=signature,
        input_example=example.head(3),
        registered_model_name=registered_name,
        pip_requirements=["linktox"],
    )
    return str(info.registered_model_version)


@dataclass(frozen=True)
class Resolved:
    """A bundle on local disk, and what it was resolved from."""

    path: Path
    description: str
    version: str | None = None


def _find_bundle(root: Path) -> Path:
    hits = sorted(p.parent for p in root.rglob(META_FILE))
    if not hits:
        raise RegistryError(f"{root}: no linktox bundle ({META_FILE}) inside")
    return hits[0]


def version_for(reference: str, registered_name: str = REGISTERED_MODEL) -> str:
    """A version number for ``3``, ``@champion``, ``champion`` or ``latest``."""
    from mlflow.exceptions import MlflowException

    client = _client()
    ref = reference.removeprefix("@")
    try:
        if ref.isdigit():
            return str(client.get_model_version(registered_name, ref).version)
        if ref == "latest":
            return latest_version(registered_name)
        return str(client.get_model_version_by_alias(registered_name, ref).version)
    except MlflowException as exc:
        raise RegistryError(f"model {registered_name!r} has no version {reference!r}") from exc


def latest_version(registered_name: str = REGISTERED_MODEL) -> str:
    """The newest registered version."""
    versions = _client().search_model_versions(f"name='{registered_name}'")
    if not versions:
        raise RegistryError(
            f"no registered versions of {registered_name!r} at {_tracking_uri()}; "
            "run `dvc repro` (or pass --model PATH)"
        )
    return str(max(int(v.version) for v in versions))


def has_alias(alias: str, registered_name: str = REGISTERED_MODEL) -> bool:
    from mlflow.exceptions import MlflowException

    try:
        _client().get_model_version_by_alias(registered_name, alias)
    except MlflowException:
        return False
    return True


def download_version(version: str, registered_name: str = REGISTERED_MODEL) -> Path:
    """Download a registered version's artifacts and return its bundle directory."""
    import mlflow.artifacts

    local = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{registered_name}/{version}")
    return _find_bundle(Path(local))


def resolve(model: str | None, registered_name: str = REGISTERED_MODEL) -> Resolved:
    """Find the bundle to score with.

    ``model`` may be a local bundle directory (or its ``model.txt``), a registry URI such as
    ``models:/linktox-toxicity@champion`` or ``models:/linktox-toxicity/3``, or None: the
    ``@champion`` version if one is set, else the newest version.
    """
    if model is not None and not model.startswith("models:/"):
        path = Path(model)
        if path.is_file():
            path = path.parent
        if not path.exists():
            raise RegistryError(f"{model}: no such model file or directory")
        return Resolved(_find_bundle(path) if path.is_dir() else path, f"local bundle {path}")
    if model is None:
        ref = f"@{CHAMPION}" if has_alias(CHAMPION, registered_name) else "latest"
        if ref == "latest":
            log.info("no @%s alias yet: scoring with the newest registered version", CHAMPION)
    else:
        rest = model.removeprefix("models:/")
        name, _, ref = rest.partition("@") if "@" in rest else rest.partition("/")
        registered_name = name or registered_name
        ref = f"@{ref}" if "@" in rest else ref
    version = version_for(ref, registered_name)
    return Resolved(
        download_version(version, registered_name),
        f"{registered_name} version {version}" + (f" ({ref})" if ref.startswith("@") else ""),
        version,
    )


def set_alias(alias: str, version: str, registered_name: str = REGISTERED_MODEL) -> None:
    _client().set_registered_model_alias(registered_name, alias, version)


def version_info(version: str, registered_name: str = REGISTERED_MODEL) -> dict[str, Any]:
    """Run id, aliases, creation time and the run's metrics for one version."""
    client = _client()
    mv = client.get_model_version(registered_name, version)
    metrics: dict[str, float] = {}
    if mv.run_id:
        metrics = client.get_run(mv.run_id).data.metrics
    return {
        "version": str(mv.version),
        "run_id": mv.run_id,
        "aliases": list(mv.aliases or []),
        "created": mv.creation_timestamp,
        "metrics": metrics,
    }


def all_versions(registered_name: str = REGISTERED_MODEL) -> list[str]:
    versions = _client().search_model_versions(f"name='{registered_name}'")
    return sorted((str(v.version) for v in versions), key=int)
