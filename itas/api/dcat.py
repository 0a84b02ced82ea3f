"""The DCAT catalogue of the published years, as JSON-LD (DCAT-AP vocabulary): what a CKAN portal
harvests with ckanext-dcat's RDF harvester. One dataset per published fiscal year, with the
Data Package, its CSV and the JSON download as distributions."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from itas.api.opendata import ROUNDING_EN, ROUNDING_TH
from itas.core.thaidate import fiscal_year_bounds
from itas.cycles.models import Cycle
from itas.scoring.models import ResultStatus

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _lit(value: str, lang: str) -> dict:
    return {"@value": value, "@language": lang}


def _date(dt) -> dict:
    return {"@value": dt.isoformat(), "@type": "xsd:dateTime"}


def catalogue(base: str) -> dict:
    """`base` is the site's absolute root URL, ending in a slash."""
    api = base + "api/v1/"
    licence = {"@id": settings.ITAS_OPEN_DATA_LICENCE["url"]}
    publisher = {
        "@id": base + "#publisher",
        "@type": "foaf:Agent",
        "foaf:name": settings.ITAS_OPEN_DATA_PUBLISHER,
    }
    datasets = []
    cycles = Cycle.objects.real().filter(result_sets__status=ResultStatus.PUBLISHED).distinct()
    for cycle in cycles.order_by("-fiscal_year"):
        rs = cycle.result_sets.filter(status=ResultStatus.PUBLISHED).order_by("-version").first()
        fy = cycle.fiscal_year
        start, end = fiscal_year_bounds(fy)
        here = f"{api}cycles/{fy}/"
        issued = rs.published_at or rs.computed_at

        def dist(name, url, media, title_th, title_en, here=here, issued=issued):
            return {
                "@id": f"{here}#{name}",
                "@type": "dcat:Distribution",
                "dct:title": [_lit(title_th, "th"), _lit(title_en, "en")],
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": media,
                "dct:format": media.split("/")[-1].upper(),
                "dct:license": licence,
                "dct:issued": _date(issued),
            }

        datasets.append(
            {
                "@id": here,
                "@type": "dcat:Dataset",
                "dct:identifier": f"ita-{fy}-results",
                "dct:title": [
                    _lit(f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {fy}", "th"),
                    _lit(f"ITA results, fiscal year {fy}", "en"),
                ],
                "dct:description": [
                    _lit(
                        f"ผลการประเมินคุณธรรมและความโปร่งใสฯ รายหน่วยงาน ฉบับที่ {rs.version} "
                        f"{ROUNDING_TH}",
                        "th",
                    ),
                    _lit(
                        f"Integrity and Transparency Assessment results by agency, version "
                        f"{rs.version}, {ROUNDING_EN}",
                        "en",
                    ),
                ],
                "dcat:keyword": ["ITA", "คุณธรรมและความโปร่งใส", "integrity", "transparency"],
                "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/th"},
                "dct:issued": _date(issued),
                "dct:modified": _date(issued),
                "dct:publisher": publisher,
                "dct:license": licence,
                "dcat:landingPage": {
                    "@id": base.rstrip("/") + reverse("reports:dashboard", kwargs={"fy": fy})
                },
                "owl:versionInfo": str(rs.version),
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {"@value": start.isoformat(), "@type": "xsd:date"},
                    "dcat:endDate": {"@value": end.isoformat(), "@type": "xsd:date"},
                },
                "dcat:distribution": [
                    dist(
                        "datapackage",
                        f"{here}datapackage.json",
                        "application/json",
                        "คำอธิบายชุดข้อมูล (Frictionless Data Package)",
                        "Data Package descriptor (Frictionless)",
                    ),
                    dist(
                        "csv",
                        f"{here}results.csv",
                        "text/csv",
                        "ผลรายหน่วยงาน (CSV)",
                        "Results by agency (CSV)",
                    ),
                    dist(
                        "json",
                        f"{here}download.json",
                        "application/json",
                        "ผลรายหน่วยงาน (JSON)",
                        "Results by agency (JSON)",
                    ),
                ],
            }
        )
    return {
        "@context": {**CONTEXT, "owl": "http://www.w3.org/2002/07/owl#"},
        "@id": api + "catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": [
            _lit("ข้อมูลเปิดผลการประเมิน ITA", "th"),
            _lit("ITA open data", "en"),
        ],
        "dct:description": [
            _lit("ผลการประเมินคุณธรรมและความโปร่งใสที่เผยแพร่แล้ว ทุกปี", "th"),
            _lit("Published Integrity and Transparency Assessment results, every year", "en"),
        ],
        "dct:publisher": publisher,
        "dct:license": licence,
        "foaf:homepage": {"@id": base},
        "dcat:dataset": datasets,
    }
