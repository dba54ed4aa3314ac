"""A CC-NEWS-style WARC file (per-record gzip) made from a folder of articles, for tests, the
benchmark and trying the Spark job: each file becomes ``copies`` HTTP response records with
distinct URLs and capture dates, so every record is a distinct article.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ..ingest import files


def write_sample_warc(folder: str | Path, target: str | Path, copies: int = 10) -> int:
    """Write ``target`` (``.warc.gz``) from the HTML and text files under ``folder``; returns
    the number of response records written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paths = [p for p in files.folder_files(Path(folder))
             if files.content_type_for(p) in ("text/html", "text/plain")]
    written = 0
    with open(target, "wb") as out:
        writer = WARCWriter(out, gzip=str(target).endswith(".gz"))
        for k in range(copies):
            when = (dt.datetime(2024, 11, 1, 6, 0) + dt.timedelta(days=k, minutes=written))
            for path in paths:
                ctype = files.content_type_for(path) or "text/plain"
                url = f"https://news{k}.example.org/{path.parent.name}/{path.stem}-{k}"
                http = StatusAndHeaders("200 OK", [("Content-Type", f"{ctype}; charset=utf-8")],
                                        protocol="HTTP/1.1")
                stamp = (when + dt.timedelta(seconds=written)).strftime("%Y-%m-%dT%H:%M:%SZ")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(path.read_bytes()),
                                                   http_headers=http, warc_headers_dict={"WARC-Date": stamp})
                writer.write_record(record)
                written += 1
    return written
