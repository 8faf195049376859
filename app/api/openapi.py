"""The OpenAPI 3.0 document of API v1, served at /api/v1/openapi.json.

Written as data: each operation names its request body and success response; every other status
(400, 401, 404, 409, 413, 415, 422, 429, 503) answers the shared Error schema.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from flask import jsonify

from ..extensions import limiter
from ..money import MAX_RUPEES
from . import bp

OBJ: dict[str, Any] = {"type": "object"}
INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
NULLABLE_STR = {"type": "string", "nullable": True}
NULLABLE_INT = {"type": "integer", "nullable": True}
MONEY = {"type": "integer", "minimum": 0, "maximum": MAX_RUPEES}


def obj(required: tuple[str, ...] = (), **props: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = list(required)
    return schema


def page(item: dict[str, Any], cursor: str) -> dict[str, Any]:
    return obj(("items", cursor), items={"type": "array", "items": item}, **{cursor: {"nullable": True}})


ERROR = obj(("error",), error=obj(("code", "message", "fields"), code=STR, message=STR, fields=OBJ,
                                  request_id=NULLABLE_STR))
USER = obj(("id", "email", "name", "role"), id=INT, email=STR, name=STR, role=STR)
JOB = obj(("job_id", "status", "progress"), job_id=STR, kind=STR,
          status={"type": "string", "enum": ["queued", "started", "finished", "failed"]},
          progress=INT, subject_id=NULLABLE_INT, result={"nullable": True}, error=NULLABLE_STR, updated_at=NULLABLE_STR)
NOTIFICATION = obj(("id", "kind", "title"), id=INT, kind=STR, title=STR, body=STR, link=NULLABLE_STR,
                   job_id=NULLABLE_STR, read=BOOL, created_at=STR)
DOCUMENT = obj(("id", "status"), id=INT, status=STR, document_type=NULLABLE_STR, fields=OBJ, confidence=OBJ,
               sources=OBJ, warnings={"type": "array"}, error=NULLABLE_STR, job_id=NULLABLE_STR,
               progress=NULLABLE_INT, pages=NULLABLE_INT, method=NULLABLE_STR, original_name=STR,
               content_type=STR, size=INT, filing_id=NULLABLE_INT, created_at=NULLABLE_STR)
TICKET = obj(("id", "subject", "status"), id=INT, subject=STR, status=STR)
INVOICE = obj(("id", "number", "total"), id=INT, number=STR, subtotal=INT, gst=INT, total=INT, status=STR)
ADMIN_USER = obj(("id", "email", "role"), id=INT, email=STR, name=STR, role=STR, is_active=BOOL)

LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
FILING_SUMMARY = obj(("id", "assessment_year", "status"), id=INT, assessment_year=STR, status=STR,
                     computation_stale=BOOL, regime=NULLABLE_STR, tax={"nullable": True},
                     recommended_regime=NULLABLE_STR)
FILING = obj(("id", "assessment_year", "status", "input"), id=INT, assessment_year=STR, financial_year=STR,
             status=STR, input=OBJ, computation={"type": "object", "nullable": True}, computation_stale=BOOL,
             computed_at=NULLABLE_STR, personal=OBJ, regime=NULLABLE_STR, version=INT,
             owner={"type": "object", "nullable": True}, missing={"type": "array", "items": STR})
FILING_PATCH = obj(input=OBJ, personal=OBJ, regime={"type": "string", "enum": ["old", "new"], "nullable": True})
MEMBER = obj(("id", "name", "relation"), id=INT, name=STR, relation=STR, dob=NULLABLE_STR, senior_citizen=BOOL)
ASSET = obj(("id", "country_code", "asset_type"), id=INT, country_code=STR, asset_type=STR, institution=STR,
            acquired_on=NULLABLE_STR, peak_value=MONEY, closing_value=MONEY, income=MONEY)
CHALLAN_FIELDS = {"kind": {"type": "string", "enum": ["advance_tax", "self_assessment_tax"]},
                  "bsr_code": {"type": "string", "pattern": "^[0-9]{3}[0-9A-Z]{4}$"}, "paid_on": STR,
                  "serial_no": {"type": "integer", "minimum": 0, "maximum": 99999}, "amount": MONEY}
CHALLAN = obj(tuple(["id", *CHALLAN_FIELDS]), id=INT, **CHALLAN_FIELDS)
GRANT = obj(("id", "email"), id=INT, email=STR, preparer_id=NULLABLE_INT, created_at=STR, revoked_at=NULLABLE_STR)
ACCOUNT = obj(("id", "ifsc", "bank_name"), id=INT, ifsc=STR, account_number=STR, bank_name=STR, refund=BOOL)
ACCOUNT_IN = obj(("ifsc", "account_number", "bank_name"), ifsc=STR, account_number=STR, bank_name=STR, refund=BOOL)
ITR1 = obj(("ITR",), ITR=obj(("ITR1",), ITR1=OBJ))

# (method, path, summary, request body schema or None, success status, response schema, query params)
OPERATIONS: list[tuple[str, str, str, dict[str, Any] | None, int, dict[str, Any], list[dict[str, Any]]]] = [
    ("get", "/auth/csrf", "A CSRF token for this session", None, 200, obj(("csrf_token",), csrf_token=STR), []),
    ("post", "/auth/register", "Create an account (same answer whether or not the email is taken)",
     obj(("email", "password", "name"), email=STR, password=STR, name=STR), 201,
     obj(("status",), status=STR, message=STR), []),
    ("post", "/auth/login", "Sign in; starts a session under a new id",
     obj(("email", "password"), email=STR, password=STR), 200, obj(("user",), user=USER, csrf_token=STR), []),
    ("post", "/auth/logout", "Sign out; ends the server session", None, 200, obj(("status",), status=STR), []),
    ("get", "/auth/me", "The signed-in user", None, 200, obj(("user",), user=USER), []),
    ("get", "/filings", "My returns (and, for preparers, the clients' returns shared with me)", None, 200,
     obj(("filings",), filings={"type": "array", "items": FILING_SUMMARY}, clients={"type": "array"}), []),
    ("post", "/filings", "Start a return for an assessment year", obj(("assessment_year",), assessment_year=STR),
     201, FILING, []),
    ("get", "/filings/{filing_id}", "A return: its input, personal details, computation and what is missing",
     None, 200, FILING, []),
    ("patch", "/filings/{filing_id}", "Change input sections, personal details or the regime in one transaction",
     FILING_PATCH, 200, FILING, []),
    ("delete", "/filings/{filing_id}", "Delete a return (owner; not once filed)", None, 204, OBJ, []),
    ("post", "/filings/{filing_id}/compute", "Compute the tax in the background", None, 202,
     obj(("job_id", "status"), job_id=STR, status=STR), []),
    ("post", "/filings/{filing_id}/ready", "Mark the return ready (409 with what is missing)", None, 200, FILING, []),
    ("get", "/filings/{filing_id}/history", "Who changed what, newest first (keyset)", None, 200,
     obj(("entries", "next_before"), entries={"type": "array", "items": OBJ}, next_before=NULLABLE_INT),
     [{"name": "before", "in": "query", "schema": INT}, LIMIT]),
    ("get", "/filings/{filing_id}/family-members", "Family members on the return", None, 200,
     obj(("family_members",), family_members={"type": "array", "items": MEMBER}), []),
    ("post", "/filings/{filing_id}/family-members", "Add a family member",
     obj(("name", "relation"), name=STR, relation=STR, dob=STR, senior_citizen=BOOL), 201, MEMBER, []),
    ("delete", "/filings/{filing_id}/family-members/{member_id}", "Remove a family member", None, 204, OBJ, []),
    ("get", "/filings/{filing_id}/foreign-assets", "Schedule FA: foreign assets", None, 200,
     obj(("foreign_assets",), foreign_assets={"type": "array", "items": ASSET}), []),
    ("post", "/filings/{filing_id}/foreign-assets", "Add a foreign asset",
     obj(("country_code", "asset_type", "institution", "peak_value", "closing_value"), country_code=STR,
         asset_type=STR, institution=STR, acquired_on=STR, peak_value=MONEY, closing_value=MONEY, income=MONEY),
     201, ASSET, []),
    ("delete", "/filings/{filing_id}/foreign-assets/{asset_id}", "Remove a foreign asset", None, 204, OBJ, []),
    ("get", "/filings/{filing_id}/challans", "Schedule IT: challans of advance and self-assessment tax", None, 200,
     obj(("challans",), challans={"type": "array", "items": CHALLAN}), []),
    ("post", "/filings/{filing_id}/challans", "Add a challan (advance tax within the year, self-assessment after it); "
     "sets that tax on taxes_paid to its challans' total",
     obj(tuple(CHALLAN_FIELDS), **CHALLAN_FIELDS), 201, CHALLAN, []),
    ("delete", "/filings/{filing_id}/challans/{challan_id}",
     "Remove a challan; sets that tax on taxes_paid to the remaining challans' total", None, 204, OBJ, []),
    ("get", "/filings/{filing_id}/grants", "Preparers this return is shared with (owner)", None, 200,
     obj(("grants",), grants={"type": "array", "items": GRANT}), []),
    ("post", "/filings/{filing_id}/grants", "Share the return with a preparer by email (owner)",
     obj(("email",), email=STR), 201, GRANT, []),
    ("delete", "/filings/{filing_id}/grants/{grant_id}", "Stop sharing with a preparer (owner)", None, 204, OBJ, []),
    ("get", "/bank-accounts", "My bank accounts", None, 200,
     obj(("bank_accounts",), bank_accounts={"type": "array", "items": ACCOUNT}), []),
    ("post", "/bank-accounts", "Add a bank account", ACCOUNT_IN, 201, ACCOUNT, []),
    ("post", "/bank-accounts/{account_id}/refund", "Use this account for refunds", None, 200, ACCOUNT, []),
    ("delete", "/bank-accounts/{account_id}", "Remove a bank account", None, 204, OBJ, []),
    ("get", "/filings/{filing_id}/bank-accounts", "The return owner's bank accounts", None, 200,
     obj(("bank_accounts",), bank_accounts={"type": "array", "items": ACCOUNT}), []),
    ("post", "/filings/{filing_id}/bank-accounts", "Add a bank account for the return's owner", ACCOUNT_IN, 201,
     ACCOUNT, []),
    ("get", "/filings/{filing_id}/itr.json", "The ITR-1 JSON for the e-filing portal (409 with the problems in "
     "words when the return is not ready, not eligible for ITR-1 or not valid)", None, 200, ITR1, []),
    ("post", "/filings/{filing_id}/filed", "I uploaded it on the portal: keep the exported JSON and mark it filed",
     obj(("confirm",), confirm=BOOL), 200,
     obj(("id", "status", "export"), id=INT, status=STR, export=obj(("id", "sha256"), id=INT, sha256=STR,
                                                                   created_at=STR)), []),
    ("get", "/jobs/{job_id}", "A job's status, progress, result or readable error", None, 200, JOB, []),
    ("get", "/notifications", "My notifications, newest first (keyset)", None, 200,
     page(NOTIFICATION, "next_before"), [{"name": "before", "in": "query", "schema": INT}, LIMIT]),
    ("get", "/notifications/unread-count", "How many notifications are unread", None, 200,
     obj(("unread",), unread=INT), []),
    ("post", "/notifications/{note_id}/read", "Mark one notification read", None, 200, obj(("unread",), unread=INT), []),
    ("post", "/notifications/read-all", "Mark all notifications read", None, 200, obj(("unread",), unread=INT), []),
    ("post", "/admin/announcements", "Announce to every user (admins)",
     obj(("title",), title=STR, body=STR, link=STR), 201, NOTIFICATION, []),
    ("get", "/documents", "My documents, newest first (keyset)", None, 200,
     obj(("documents",), documents={"type": "array", "items": DOCUMENT}, next_cursor={"nullable": True}),
     [{"name": "cursor", "in": "query", "schema": STR}, LIMIT]),
    ("get", "/documents/{document_id}", "A document and what was read from it", None, 200, DOCUMENT, []),
    ("get", "/documents/{document_id}/file", "The uploaded file itself (its own content type)", None, 200,
     {"type": "string", "format": "binary"}, []),
    ("post", "/documents/{document_id}/apply", "Apply accepted fields to the filing in one transaction",
     obj(fields=OBJ, filing_id=INT), 200, obj(("id", "status"), id=INT, status=STR, filing_id=NULLABLE_INT,
                                             changes={"type": "array"}), []),
    ("delete", "/documents/{document_id}", "Delete a document and its file", None, 200,
     obj(("id", "status"), id=INT, status=STR), []),
    ("get", "/tickets", "My tickets, or the open-ticket queue (preparers, admins: ?scope=queue)", None, 200,
     page(TICKET, "next_before"), [{"name": "scope", "in": "query", "schema": STR},
                                   {"name": "before", "in": "query", "schema": STR}, LIMIT]),
    ("post", "/tickets", "Open a ticket",
     obj(("subject", "body"), subject=STR, body=STR, filing_id=INT, document_id=INT), 201, TICKET, []),
    ("get", "/tickets/{ticket_id}", "A ticket with its messages", None, 200, TICKET, []),
    ("post", "/tickets/{ticket_id}/messages", "Reply to a ticket", obj(("body",), body=STR), 201, TICKET, []),
    ("post", "/tickets/{ticket_id}/assign", "Assign a ticket (preparers, admins)", obj(assignee_id=INT), 200, TICKET, []),
    ("post", "/tickets/{ticket_id}/close", "Close a ticket", None, 200, TICKET, []),
    ("get", "/invoices", "Invoices I received or issued (keyset)", None, 200, page(INVOICE, "next_before"),
     [{"name": "before", "in": "query", "schema": STR}, LIMIT]),
    ("post", "/invoices", "Issue an invoice (preparers, admins); GST at 18%",
     obj(("items",), user_id=INT, customer_email=STR, filing_id=INT,
         items={"type": "array", "items": obj(("description", "amount"), description=STR, amount=MONEY)}),
     201, INVOICE, []),
    ("get", "/invoices/{invoice_id}", "An invoice", None, 200, INVOICE, []),
    ("post", "/invoices/{invoice_id}/paid", "Mark an invoice paid", None, 200, INVOICE, []),
    ("get", "/admin/users", "Search users (admins)", None, 200, page(ADMIN_USER, "next_after"),
     [{"name": "q", "in": "query", "schema": STR}, {"name": "after", "in": "query", "schema": STR}, LIMIT]),
    ("patch", "/admin/users/{user_id}", "Change a user's role or disable them (admins)",
     obj(role={"type": "string", "enum": ["taxpayer", "preparer", "admin"]}, is_active=BOOL), 200, ADMIN_USER, []),
    ("get", "/admin/jobs", "Failed jobs (admins)", None, 200, page(OBJ, "next_cursor"),
     [{"name": "cursor", "in": "query", "schema": STR}, LIMIT]),
    ("post", "/admin/jobs/{job_id}/retry", "Retry a failed job (admins)", None, 202, JOB, []),
]


def _path_params(path: str) -> list[dict[str, Any]]:
    params = []
    for part in path.split("/"):
        if part.startswith("{"):
            name = part[1:-1]
            schema = STR if name == "job_id" else {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


@cache
def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, body, status, response, query in OPERATIONS:
        op: dict[str, Any] = {
            "summary": summary,
            "operationId": f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": _path_params(path) + query,
            "responses": {
                str(status): {"description": "Success", "content": {"application/json": {"schema": response}}},
                "default": {"description": "Error", "content": {"application/json": {"schema": ERROR}}},
            },
        }
        if body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        paths.setdefault(path, {})[method] = op
    paths["/documents"]["post"] = {
        "summary": "Upload a document (PDF, PNG, JPEG, TIFF; type by content) for OCR in the background",
        "operationId": "post_documents",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": obj(
            ("file",), file={"type": "string", "format": "binary"}, filing_id=INT, password=STR)}}},
        "responses": {
            "202": {"description": "Queued", "content": {"application/json": {"schema": obj(
                ("document_id", "job_id"), document_id=INT, job_id=STR, status=STR)}}},
            "200": {"description": "Duplicate of an earlier upload", "content": {"application/json": {"schema": obj(
                ("document_id", "duplicate"), document_id=INT, job_id=NULLABLE_STR, status=STR, duplicate=BOOL)}}},
            "default": {"description": "Error", "content": {"application/json": {"schema": ERROR}}},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "TaxDesk API", "version": "1",
                 "description": "Amounts are integer rupees. Unsafe methods need the X-CSRFToken header."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "taxdesk_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "schemas": {"Error": ERROR},
        },
        "security": [{"session": [], "csrf": []}],
        "paths": paths,
    }


@bp.get("/openapi.json")
@limiter.exempt
def openapi():
    return jsonify(document())
