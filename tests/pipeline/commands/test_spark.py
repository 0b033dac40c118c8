"""`linktox spark` without the extra: one line saying how to get it; nothing else needs pyspark."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import requires

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_without_pyspark_spark_score_says_in_one_line_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # `import pyspark` now raises ImportError
    result = runner.invoke(
        app, ["spark", "score", str(tmp_path / "links.parquet"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "pip install 'linktox[spark]'" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_the_cli_and_the_spark_modules_import_without_pyspark() -> None:
    code = (
        "import sys; sys.modules['pyspark'] = None\n"
        "import pipeline.cli, pipeline.commands.spark\n"
        "import pipeline.spark.score, pipeline.spark.session\n"
        "from typer.testing import CliRunner\n"
        "result = CliRunner().invoke(pipeline.cli.app, ['--help'])\n"
        "assert result.exit_code == 0 and 'spark' in result.output, result.output\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_cli_does_not_import_pyspark_until_the_spark_command_runs() -> None:
    # pyspark is installed here (the spark extra); mlflow, imported by the commands, would
    # import it too.
    pytest.importorskip("pyspark")
    code = (
        "import sys, pipeline.cli\n"
        "from typer.testing import CliRunner\n"
        "assert CliRunner().invoke(pipeline.cli.app, ['--help']).exit_code == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pyspark')\n"
        "assert not loaded, loaded[:5]\n"
        "import pyspark.sql\n"  # and the spark command can still import it
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_pyspark_is_only_in_the_spark_extra() -> None:
    spark = [
        req for req in requires("linktox") or [] if req.lower().startswith(("pyspark", "py4j"))
    ]
    assert spark, "the spark extra names pyspark"
    assert all('extra == "spark"' in req for req in spark), spark


def test_the_default_install_does_not_pull_pyspark_in_through_any_dependency() -> None:
    # Every distribution `pip install .` installs: linktox's requirements without extras, and
    # theirs, as installed here (a requirement of an extra counts only when that extra is asked
    # for).
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import requires as requires_of

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    def needed(lines: list[str] | None, extras: set[str]) -> list[Requirement]:
        reqs = [Requirement(line) for line in lines or []]
        return [
            req
            for req in reqs
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in {"", *extras})
        ]

    installed: set[str] = set()
    todo = needed(requires("linktox"), set())
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in installed:
            continue
        installed.add(name)
        try:
            todo.extend(needed(requires_of(req.name), set(req.extras)))
        except PackageNotFoundError:
            continue
    assert len(installed) > 20  # the walk did follow the dependencies
    assert not installed & {"pyspark", "py4j"}


@pytest.mark.parametrize("conf", ["spark.executor.cores", "=4"])
def test_a_malformed_conf_setting_is_refused(conf: str) -> None:
    from pipeline.errors import LinktoxError
    from pipeline.spark.session import parse_conf

    with pytest.raises(LinktoxError, match="expected KEY=VALUE"):
        parse_conf([conf])
