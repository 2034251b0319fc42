"""The Improve team's datasets (long, wide, scores, benchmarks, dictionary) for a
questionnaire and year, across organisations or for one: what `flask export` writes and
what the dashboards offer as downloads."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace

import pandas as pd

from scoring.peers import PeerGroup

from ..models import Organisation
from .data import ResultsData, questionnaire_data
from .dictionary import data_dictionary
from .exports import EXPORTERS, ExportFile, Progress
from .maturity import questionnaire_is_return
from .maturity_exports import maturity_tables
from .report import benchmark_report, with_organisation
from .tables import benchmarks_table, export_answers, long_table, scores_table, wide_table


@dataclass
class Dataset:
    basename: str
    tables: dict[str, pd.DataFrame]

    @property
    def rows(self) -> int:
        return sum(len(t) for t in self.tables.values())

    def render(self, file_format: str, progress: Progress | None = None) -> list[ExportFile]:
        return EXPORTERS[file_format].render(self.tables, self.basename, progress=progress)

    def download(self, file_format: str) -> ExportFile:
        """One file for a browser: the workbook as it is, several files as one zip."""
        files = self.render(file_format)
        if len(files) == 1:
            return files[0]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for f in files:
                archive.writestr(f.filename, f.data)
        return ExportFile(f"{self.basename}-{file_format}.zip", "application/zip", buffer.getvalue())


def dataset(questionnaire_id: str, year: int, organisation: Organisation | None, language: str,
            peers: PeerGroup | None = None, minimum: int | None = None) -> Dataset | None:
    """The tables in the current locale, or None when there is no campaign to export.

    Across organisations they carry codes only and no free text, and only campaigns whose
    results are released; for one organisation they add its name and its own comments
    (comments never leave their organisation) and include its provisional results.
    With `peers`, the benchmarks are over that peer group (DESIGN.md definition 7) and,
    across organisations, the tables hold its organisations only; with `minimum`, a
    group smaller than that has no median or quartiles."""
    own = organisation is not None
    if questionnaire_is_return(questionnaire_id):
        # one return per organisation (the DMA): its own tables, from the maturity tables
        found = maturity_tables(questionnaire_id, year, organisation, language, peers=peers, minimum=minimum)
        if found is None:
            return None
        bench, tables = found
        return Dataset(_basename(questionnaire_id, bench, organisation, year, peers), tables)
    # across organisations, released campaigns only; one organisation's own, provisional too
    data = questionnaire_data(questionnaire_id, [year], organisation.id if own else None, released_only=not own)
    if data.empty:
        return None
    bench = benchmark_report(questionnaire_id, year, this_year=None if own else data, peers=peers, minimum=minimum)
    if own:
        bench = with_organisation(bench, organisation.id)
    if peers is not None and not own:
        data = only_organisations(data, set(bench.organisations["organisation_id"]))
        if data.empty:
            return None
    answers = export_answers(data, with_text=own)
    tables = {
        "long": long_table(data, answers),
        "wide": wide_table(data, answers),
        # its Welsh name in a Welsh export (when it has one), as its Welsh pages show it
        "scores": scores_table(data, bench, organisation.name_in(language) if own else None),
        "benchmarks": benchmarks_table(bench),
    }
    tables["dictionary"] = data_dictionary(tables, bench.questionnaire, data.dimension_sources, language)
    return Dataset(_basename(questionnaire_id, bench, organisation, year, peers), tables)


def _basename(questionnaire_id: str, bench, organisation: Organisation | None, year: int,
              peers: PeerGroup | None) -> str:
    """The year as a file name can carry it: user-satisfaction-2026-27-W2601-long.csv."""
    basename = f"{questionnaire_id}-{bench.file_label()}"
    if peers is not None and peers.kind != "all":
        basename += "-" + re.sub(r"[^A-Za-z0-9]+", "-", peers.key).strip("-").lower()
    if organisation is not None:
        basename += f"-{organisation.code_for(year).replace('(P)', 'P')}"
    return basename


def only_organisations(data: ResultsData, organisation_ids: set[int]) -> ResultsData:
    """The same data for some of its organisations only."""
    campaigns = data.campaigns.loc[data.campaigns["organisation_id"].isin(organisation_ids)]
    kept = set(campaigns["campaign_id"])
    return replace(data, campaigns=campaigns,
                   respondents=data.respondents.loc[data.respondents["campaign_id"].isin(kept)],
                   answers=data.answers.loc[data.answers["campaign_id"].isin(kept)],
                   counts=data.counts.loc[data.counts["campaign_id"].isin(kept)])
