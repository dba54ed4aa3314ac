"""Parquet tables without Spark: the same tables and layout as the Spark job (khabar.scale.tables),
written and read with pyarrow, partitioned by ``pub_date`` (hive style: ``pub_date=2024-11-29/``).

Used for the single-machine ``parquet`` export, by stage 2 on the driver, and to read the Spark
job's output back (exports, tests, benchmarks).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import Article
from ..scale import tables


def arrow_schema(table: str) -> Any:
    """The pyarrow schema of one of our tables."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "long": pa.int64(), "double": pa.float64(), "boolean": pa.bool_()}
    return pa.schema([(n, kinds[t]) for n, t in tables.columns(table)])


def write_table(out_dir: str | Path, table: str, rows: list[tuple[Any, ...]]) -> int:
    """Write ``rows`` of ``table`` under ``out_dir/table`` (replacing it); returns the row count."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    target = Path(out_dir) / table
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if not rows:
        return 0
    data = _arrow_table(table, rows)
    ds.write_dataset(data, target, format="parquet", partitioning=["pub_date"],
                     partitioning_flavor="hive", basename_template="part-{i}.parquet")
    return len(rows)


def prepare_output(out_dir: str | Path, table_names: Iterable[str]) -> None:
    """Empty (or create) the folder of each table before a job writes its parts."""
    for table in table_names:
        target = Path(out_dir) / table
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)


def _arrow_table(table: str, rows: list[tuple[Any, ...]]) -> Any:
    import pyarrow as pa

    schema = arrow_schema(table)
    cols = list(zip(*rows))
    return pa.table([pa.array(list(c), type=f.type) for c, f in zip(cols, schema)], schema=schema)


def write_part(out_dir: str | Path, rows: dict[str, list[tuple[Any, ...]]], name: str) -> dict[str, int]:
    """Write one task's rows: ``out_dir/<table>/pub_date=<day>/<name>.parquet`` per table and
    day, each under a temporary name then renamed (a retried task replaces its own files).
    The ``pub_date`` column is left to the folder name, as Spark and pyarrow lay it out."""
    import os

    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for table, items in rows.items():
        counts[table] = len(items)
        by_day: dict[str, list[tuple[Any, ...]]] = {}
        for row in items:
            by_day.setdefault(row[-1], []).append(row)
        for day, day_rows in by_day.items():
            folder = Path(out_dir) / table / f"pub_date={day}"
            folder.mkdir(parents=True, exist_ok=True)
            data = _arrow_table(table, day_rows).drop(["pub_date"])
            tmp = folder / f".{name}.parquet.tmp"
            pq.write_table(data, tmp)
            os.replace(tmp, folder / f"{name}.parquet")
    return counts


def read_table(out_dir: str | Path, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` (written by Spark or by ``write_table``) as dicts, columns in
    schema order; an absent or empty table gives ``[]``."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    target = Path(out_dir) / table
    if not target.is_dir() or not any(p.suffix == ".parquet" for p in target.rglob("*.parquet")):
        return []
    part = ds.partitioning(pa.schema([("pub_date", pa.string())]), flavor="hive")
    data = ds.dataset(target, format="parquet", partitioning=part).to_table()
    names = [n for n, _ in tables.columns(table)]
    return data.select(names).to_pylist()


def iter_docs(out_dir: str | Path) -> Iterator[dict[str, Any]]:
    """The article JSONs of a Parquet output, oldest publication first (then by id)."""
    rows = read_table(out_dir, "articles")
    rows.sort(key=lambda r: (r.get("published") or "", r["article_id"]))
    for row in rows:
        yield json.loads(row["doc"])


def collect_rows(items: Iterable[Article | dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per table for articles (tokens included) or article JSONs (no tokens)."""
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables.SCHEMAS}
    for item in items:
        made = tables.article_rows(item) if isinstance(item, Article) else tables.doc_rows(item)
        for table, row in made:
            out[table].append(row)
    return out


def write_all(items: Iterable[Article | dict[str, Any]], out_dir: str | Path) -> dict[str, int]:
    """Write every stage-1 table for ``items`` under ``out_dir``; rows written per table."""
    return {t: write_table(out_dir, t, rows) for t, rows in collect_rows(items).items()}
