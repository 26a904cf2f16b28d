"""A batch print as a background job: the runner the jobs app calls for a print kind.

Each print kind registered with ``printing.registry.register`` is also a job kind of the
same name (``jobs.registry``): its runner builds the documents with the kind's builder and
renders them into one PDF, which the job keeps as its file.
"""

from __future__ import annotations

import io

from jobs.registry import JobError, Outcome
from printing.registry import PrintError, get_kind
from printing.render import render_pdf

NOTHING = "没有可打印的内容：所选范围内没有任何评分表或表格。"


def runner_for(key: str):
    def run(job, progress) -> Outcome:
        kind = get_kind(key)
        progress.stage("正在准备数据")
        try:
            docs = list(kind.builder(dict(job.params), progress))
        except PrintError as exc:
            raise JobError(str(exc)) from exc
        if not docs:
            raise JobError(NOTHING)
        progress.stage("正在排版", total=len(docs))
        data = render_pdf(docs, progress=progress)
        progress.stage("正在保存", done=len(docs), total=len(docs))
        pages = count_pages(data)
        return Outcome(
            summary=f"已生成「{job.title or kind.label}」：{len(docs)} 份，共 {pages} 页。"
            if pages
            else f"已生成「{job.title or kind.label}」：{len(docs)} 份。",
            file=data,
            filename=f"{job.title or kind.label}-{job.pk}.pdf",
            pages=pages,
        )

    return run


def count_pages(data: bytes) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # the count is a courtesy; the PDF itself is what matters
        return None
