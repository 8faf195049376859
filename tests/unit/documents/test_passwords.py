"""Password-protected PDFs, as banks send them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents.extract import ExtractionError, extract_file

from . import generate as g

PASSWORD = "ABCPE1234F"


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    path = tmp_path_factory.mktemp("pw") / "interest.pdf"
    expected = g.make_interest_certificate_pdf(path, {}, layout=1, password=PASSWORD)
    return path, expected


def test_a_protected_pdf_without_a_password_asks_for_it(protected: tuple[Path, dict[str, object]]) -> None:
    with pytest.raises(ExtractionError) as err:
        extract_file(protected[0])
    assert "password-protected" in err.value.reason
    assert "enter its password" in err.value.reason


def test_a_wrong_password_is_told_apart_from_a_missing_one(protected: tuple[Path, dict[str, object]]) -> None:
    with pytest.raises(ExtractionError) as err:
        extract_file(protected[0], password="01011990")
    assert "password" in err.value.reason
    assert "wrong" in err.value.reason
    assert "password-protected" not in err.value.reason


def test_the_right_password_opens_it(protected: tuple[Path, dict[str, object]]) -> None:
    path, expected = protected
    result = extract_file(path, password=PASSWORD)
    assert result["document_type"] == "interest_certificate"
    assert result["fields"] == expected


def test_a_password_given_for_an_unprotected_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "f16.pdf"
    expected = g.make_form16_pdf(path, {}, layout=1)
    assert extract_file(path, password="anything")["fields"] == expected


def test_every_certificate_type_can_be_protected(tmp_path: Path) -> None:
    for make, kind in ((g.make_form16_pdf, "form16"), (g.make_form16a_pdf, "form16a")):
        path = tmp_path / f"{kind}.pdf"
        expected = make(path, {}, layout=0, password="s3cret")
        with pytest.raises(ExtractionError):
            extract_file(path)
        result = extract_file(path, password="s3cret")
        assert (result["document_type"], result["fields"]) == (kind, expected)
