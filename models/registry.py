"""MLflow helpers: where to track, log a bundle as a registered version, resolve, alias.

The tracking URI is chosen by the caller (``pipeline.paths.tracking_uri``: the option, then
``MLFLOW_TRACKING_URI``, then the project's SQLite file); importing this module changes nothing.
Only the ``register`` stage may create a store: a command that reads one refuses a SQLite file
that does not exist, instead of creating an empty one where the user happens to stand.
MLflow (about two seconds to import) is imported inside the functions that talk to it, so that
scoring with a local bundle, and every command's start, never pays for it.

Aliases are linktox's own two (:data:`ALIASES`): ``@champion`` (moved only by ``linktox models
promote``, the version scoring uses) and ``@challenger`` (the newest registered bundle).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass
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
ALIASES = (CHAMPION, CHALLENGER)
# Model-version tag holding the bundle's content hash (pipeline.provenance.md5_tree), so the
# same bundle is never registered twice and its run is found again without a run id.
BUNDLE_MD5_TAG = "bundle_md5"
_SQLITE = "sqlite:///"
_PYFUNC_CODE = Path(__file__).with_name("mlflow_model.py")


class RegistryError(LinktoxError):
    """A model reference that cannot be resolved, or a registry that cannot be reached."""


def _client() -> MlflowClient:
    from mlflow import MlflowClient

    return MlflowClient()


def _tracking_uri() -> str:
    import mlflow

    return mlflow.get_tracking_uri()


def configure(uri: str, *, create: bool = False) -> str:
    """Point MLflow at the chosen store and keep its chatter quiet; returns the URI.

    Raises:
        RegistryError: ``uri`` is a SQLite file that does not exist and ``create`` is False
            (MLflow would silently create an empty store there).
    """
    if not create and uri.startswith(_SQLITE) and not Path(uri.removeprefix(_SQLITE)).is_file():
        raise RegistryError(
            f"no MLflow database at {uri.removeprefix(_SQLITE)}: run `make run` (or `dvc repro`) "
            "to train and register a model, or point --tracking-uri / $MLFLOW_TRACKING_URI at "
            "your store"
        )
    import mlflow

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri


def store() -> str:
    """The store MLflow is pointed at, for messages that say which one was used."""
    return _tracking_uri()


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
    note: str | None = None  # said before the model line (no @champion yet, say)


def _find_bundle(root: Path) -> Path:
    hits = sorted(p.parent for p in root.rglob(META_FILE))
    if not hits:
        raise RegistryError(f"{root}: no linktox bundle ({META_FILE}) inside")
    return hits[0]


def _check_model(client: MlflowClient, registered_name: str) -> None:
    """Raise when no model of that name is registered, naming the models there are."""
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(registered_name)
    except MlflowException as exc:
        names = sorted(m.name for m in client.search_registered_models())
        there = f"registered models there: {', '.join(names)}" if names else "it holds none"
        raise RegistryError(
            f"no registered model {registered_name!r} at {store()} ({there})"
        ) from exc


def inventory(registered_name: str = REGISTERED_MODEL) -> str:
    """The aliases and versions that exist, for error messages: ``aliases @challenger (v2),
    @champion (v1); versions 1, 2``."""
    client = _client()
    # search_model_versions leaves aliases out; the registered model holds them.
    aliases = client.get_registered_model(registered_name).aliases or {}
    versions = client.search_model_versions(f"name='{registered_name}'")
    alias_text = ", ".join(f"@{a} (v{v})" for a, v in sorted(aliases.items())) or "none"
    numbers = ", ".join(sorted((str(v.version) for v in versions), key=int)) or "none"
    return f"aliases {alias_text}; versions {numbers}"


def version_for(reference: str, registered_name: str = REGISTERED_MODEL) -> str:
    """A version number for ``3``, ``v3``, ``@champion``, ``champion`` or ``latest``.

    Raises:
        RegistryError: No such model, version or alias; the message lists what exists.
    """
    from mlflow.exceptions import MlflowException

    client = _client()
    _check_model(client, registered_name)
    ref = reference.removeprefix("@")
    if ref[:1] in ("v", "V") and ref[1:].isdigit():
        ref = ref[1:]
    if ref == "latest":
        return latest_version(registered_name)
    try:
        if ref.isdigit():
            return str(client.get_model_version(registered_name, ref).version)
        return str(client.get_model_version_by_alias(registered_name, ref).version)
    except MlflowException as exc:
        what = f"version {ref}" if ref.isdigit() else f"alias @{ref}"
        raise RegistryError(
            f"model {registered_name!r} has no {what} at {store()} ({inventory(registered_name)})"
        ) from exc


def latest_version(registered_name: str = REGISTERED_MODEL) -> str:
    """The newest registered version."""
    versions = _client().search_model_versions(f"name='{registered_name}'")
    if not versions:
        raise RegistryError(
            f"no registered versions of {registered_name!r} at {store()}; "
            "run `make run` or `dvc repro` (or pass --model PATH)"
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
        log.info("model: local bundle %s", path.resolve())
        return Resolved(_find_bundle(path) if path.is_dir() else path, f"local bundle {path}")
    note = None
    if model is None:
        ref = f"@{CHAMPION}" if has_alias(CHAMPION, registered_name) else "latest"
        if ref == "latest":
            note = f"no @{CHAMPION} alias yet: scoring with the newest registered version"
            log.info(note)
    else:
        rest = model.removeprefix("models:/")
        name, _, ref = rest.partition("@") if "@" in rest else rest.partition("/")
        registered_name = name or registered_name
        ref = f"@{ref}" if "@" in rest else ref
    version = version_for(ref, registered_name)
    description = f"{registered_name} version {version}" + (
        f" ({ref})" if ref.startswith("@") else ""
    )
    log.info("model: %s from the MLflow store %s", description, store())
    return Resolved(download_version(version, registered_name), description, version, note)


# Beside a SQLite store: what `resolve_in` found there, valid while the store is unchanged.
RESOLVED_SUFFIX = ".linktox-resolved.json"
_RESOLVED_FORMAT = 1


def _stat(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def store_state(db: Path) -> list[int] | None:
    """What changes whenever the SQLite store at ``db`` does: its header's file change counter
    (SQLite adds one at every committed write in rollback-journal mode), the file's inode, size
    and modification time, and those of its write-ahead log. None while a write is under way
    (a hot journal) or when the file cannot be read: nothing is then remembered or recalled."""
    try:
        with db.open("rb") as handle:
            header = handle.read(100)
        if len(header) < 28 or db.with_name(db.name + "-journal").exists():
            return None
        wal = db.with_name(db.name + "-wal")
        return [
            int.from_bytes(header[24:28], "big"),
            *_stat(db),
            *(_stat(wal) if wal.exists() else [-1, -1, -1]),
        ]
    except OSError:
        return None


def _memo(db: Path) -> Path:
    return db.with_name(f".{db.name}{RESOLVED_SUFFIX}")


def _recall(db: Path, uri: str, key: str, state: list[int]) -> Resolved | None:
    """The resolution remembered for ``key`` if the store is as it was then and the bundle is
    still on disk."""
    try:
        memo = json.loads(_memo(db).read_text(encoding="utf-8"))
        if memo.get("format") != _RESOLVED_FORMAT or memo.get("store") != uri:
            return None
        if memo.get("state") != state or key not in memo.get("entries", {}):
            return None
        entry = memo["entries"][key]
        found = Resolved(Path(entry["path"]), entry["description"], entry["version"], entry["note"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if (found.path / META_FILE).is_file() else None


def _remember(db: Path, uri: str, key: str, state: list[int], found: Resolved) -> None:
    """Add ``found`` to the store's memo (a new state starts a new memo); a memo that cannot
    be written is skipped: it only saves time."""
    memo: dict[str, Any] = {"format": _RESOLVED_FORMAT, "store": uri, "state": state, "entries": {}}
    with contextlib.suppress(OSError, ValueError):
        old = json.loads(_memo(db).read_text(encoding="utf-8"))
        if old.get("state") == state and old.get("store") == uri:
            memo["entries"] = dict(old.get("entries", {}))
    memo["entries"][key] = {**asdict(found), "path": str(found.path)}
    # Written beside and renamed into place, so a reader never sees half a memo. (Not
    # pipeline.errors.atomic_path: models/ does not import the pipeline, and a memo lost to an
    # interruption costs only the next call's time.)
    tmp = _memo(db).with_name(f"{_memo(db).name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(memo, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, _memo(db))
    except OSError as exc:
        log.debug("could not remember the resolved model beside %s: %s", db, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()


def resolve_in(uri: str, model: str | None, registered_name: str = REGISTERED_MODEL) -> Resolved:
    """:func:`resolve` for a registry reference (``model`` None or ``models:/...``) in the
    store at ``uri``.

    Importing MLflow and opening its store take about three seconds, more than scoring a small
    export. A registered version's artifacts never change, so for a SQLite store the answer is
    remembered beside it and given again, without MLflow, for as long as the store is unchanged
    (:func:`store_state`): any write to it (a new version, ``linktox models promote``, an alias
    moved in MLflow's UI) makes the next call ask MLflow again.
    """
    db = Path(uri.removeprefix(_SQLITE)) if uri.startswith(_SQLITE) else None
    key = f"{registered_name}|{model or ''}"
    state = store_state(db) if db is not None else None
    if db is not None and state is not None:
        found = _recall(db, uri, key, state)
        if found is not None:
            if found.note:
                log.info(found.note)
            log.info("model: %s from the MLflow store %s", found.description, uri)
            return found
    configure(uri)
    found = resolve(model, registered_name)
    # Remembered only if nothing wrote to the store while MLflow read it.
    if db is not None and state is not None and store_state(db) == state:
        _remember(db, uri, key, state, found)
    return found


def remember_default(uri: str, registered_name: str = REGISTERED_MODEL) -> None:
    """Resolve, in a process that has MLflow open anyway, the version that scoring without
    ``--model`` uses, so that the next ``linktox score`` finds it remembered
    (:func:`resolve_in`) instead of spending three seconds importing MLflow to ask: called after
    linktox's own writes to the store (registering, promoting, removing an alias). Quietly: the
    caller says what it changed; a store with nothing registered has nothing to remember."""
    quiet = log.level
    log.setLevel(logging.WARNING)
    try:
        with contextlib.suppress(RegistryError):
            resolve_in(uri, None, registered_name)
    finally:
        log.setLevel(quiet)


def check_alias(alias: str) -> str:
    """``alias`` if it is one of linktox's aliases, else an error saying which exist."""
    name = alias.removeprefix("@")
    if name not in ALIASES:
        raise RegistryError(
            f"unknown alias {alias!r}: linktox uses @{CHAMPION} (moved by `linktox models "
            f"promote`; scoring uses it) and @{CHALLENGER} (the newest registered bundle)"
        )
    return name


def set_alias(alias: str, version: str, registered_name: str = REGISTERED_MODEL) -> None:
    """Point one of linktox's aliases at ``version`` (see :func:`check_alias`)."""
    _client().set_registered_model_alias(registered_name, check_alias(alias), version)


def remove_alias(alias: str, registered_name: str = REGISTERED_MODEL) -> str:
    """Delete an alias (any name, so that a stray one can go); returns the version it held."""
    name = alias.removeprefix("@")
    version = version_for(f"@{name}", registered_name)
    _client().delete_registered_model_alias(registered_name, name)
    return version


def version_with_bundle(bundle_md5: str, registered_name: str = REGISTERED_MODEL) -> str | None:
    """The registered version holding the bundle with this content hash, if any."""
    from mlflow.exceptions import MlflowException

    client = _client()
    try:
        client.get_registered_model(registered_name)
    except MlflowException:
        return None
    for mv in client.search_model_versions(f"name='{registered_name}'"):
        if (mv.tags or {}).get(BUNDLE_MD5_TAG) == bundle_md5:
            return str(mv.version)
    return None


def tag_version(
    version: str, key: str, value: str, registered_name: str = REGISTERED_MODEL
) -> None:
    _client().set_model_version_tag(registered_name, version, key, value)


def version_info(version: str, registered_name: str = REGISTERED_MODEL) -> dict[str, Any]:
    """Run id, aliases, creation time and the run's metrics and tags for one version."""
    client = _client()
    mv = client.get_model_version(registered_name, version)
    metrics: dict[str, float] = {}
    tags: dict[str, str] = {}
    if mv.run_id:
        data = client.get_run(mv.run_id).data
        metrics, tags = data.metrics, data.tags
    return {
        "version": str(mv.version),
        "run_id": mv.run_id,
        "aliases": list(mv.aliases or []),
        "created": mv.creation_timestamp,
        "metrics": metrics,
        "tags": tags,
    }


def all_versions(registered_name: str = REGISTERED_MODEL) -> list[str]:
    versions = _client().search_model_versions(f"name='{registered_name}'")
    return sorted((str(v.version) for v in versions), key=int)
