"""Who may use each route of the app, rule by rule and method by method.

test_access_matrix.py checks this table against `app.url_map`: a route without an entry here (or
an entry without a route) fails, so nobody adds a page or an endpoint without deciding who may
use it. Every route is then tried by every actor of conftest.World against the owner's data.

`allowed`: actors who get a real answer (not 401/403/404). Everyone else gets 404 when signed in
(never 403: that would say the thing exists) and 401 / a redirect to /login / 404 when anonymous.
`sees`: actors whose answer may contain the owner's personal data (the World markers); nobody
else's answer may, whatever its status.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ALL = frozenset({"anonymous", "owner", "other", "assigned", "preparer", "admin"})
SIGNED_IN = ALL - {"anonymous"}
OWNER = frozenset({"owner"})
OWNER_OR_ASSIGNED = frozenset({"owner", "assigned"})
OWNER_ASSIGNED_OR_ADMIN = frozenset({"owner", "assigned", "admin"})
ASSIGNED_OR_ADMIN = frozenset({"assigned", "admin"})
STAFF = frozenset({"assigned", "preparer", "admin"})
ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str]
    sees: frozenset[str]
    body: dict = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)   # an exact status some actor must get instead
    params: dict[str, object] = field(default_factory=dict)  # overrides PARAMS for this route
    # The route deletes its object: once an allowed actor has, the next allowed one rightly gets 404.
    deletes: bool = False


# Named levels, as the issue names them.
public = Access(ALL, NOBODY)
any_signed_in = Access(SIGNED_IN, OWNER)          # lists and pages of one's own things
owner = Access(OWNER, OWNER)
owner_or_grantee = Access(OWNER_OR_ASSIGNED, OWNER_OR_ASSIGNED)  # filings: owner or a preparer it is shared with
owner_or_assigned_preparer = Access(OWNER_ASSIGNED_OR_ADMIN, OWNER_ASSIGNED_OR_ADMIN)
staff = Access(STAFF, ASSIGNED_OR_ADMIN)         # preparer and admin roles; the owner's data only to
#                                                  the preparer the owner chose
admin = Access(ADMIN, ADMIN)


def signed_in_seeing(*who: str) -> Access:
    return Access(SIGNED_IN, frozenset(who))


def deleting(access: Access) -> Access:
    return Access(access.allowed, access.sees, access.body, access.status, access.params, deletes=True)


# URL parameter -> the World id that fills it (or a literal for parameters that are not objects).
PARAMS: dict[str, object] = {
    "document_id": "document", "ticket_id": "ticket", "invoice_id": "invoice", "note_id": "notification",
    "notification_id": "notification", "job_id": "job", "filing_id": "filing", "user_id": "user",
    "bank_account_id": "bank_account", "account_id": "bank_account", "key": "session_key",
    "ref": "filing", "section": "personal", "member_id": "family_member", "asset_id": "foreign_asset",
    "challan_id": "challan",
    "grant_id": "grant", "ay": "assessment_year", "assessment_year": "assessment_year", "year": "assessment_year",
    # Not objects of a user: fixed values that reach the view.
    "token": "not-a-valid-token", "instance_number": 0, "queue_name": "default", "registry_name": "queued",
    "per_page": 10, "order": "asc", "page": 1,
}
STATIC_FILES = {"/static/<path:filename>": "app.css", "/admin/rq/static/<path:filename>": "css/main.css"}

RULES: dict[str, Access] = {
    # ops and static files
    "GET /health": public,
    "GET /health/ready": public,
    "GET /metrics": public,
    "GET /static/<path:filename>": public,
    # accounts
    "GET /login": public,
    "POST /login": public,
    "GET /register": public,
    "POST /register": public,
    "POST /logout": public,
    "GET /password/forgot": public,
    "POST /password/forgot": public,
    "GET /password/reset/<token>": public,
    "POST /password/reset/<token>": public,
    "GET /settings": any_signed_in,
    "POST /settings/password": any_signed_in,
    "POST /settings/profile": any_signed_in,
    "POST /settings/sessions/<key>/revoke": owner,
    "GET /api/v1/auth/csrf": public,
    "POST /api/v1/auth/login": public,
    "POST /api/v1/auth/register": public,
    "POST /api/v1/auth/logout": public,
    "GET /api/v1/auth/me": any_signed_in,
    # filings: the owner and the preparer the owner shared the filing with (admins are not let in)
    "GET /": signed_in_seeing("owner", "assigned"),
    "GET /filings": signed_in_seeing("owner", "assigned"),
    "POST /filings/<ref>/start": Access(SIGNED_IN, OWNER, params={"ref": "assessment_year"}),
    "GET /filings/<ref>": owner_or_grantee,
    "GET /filings/<ref>/<section>": owner_or_grantee,
    "POST /filings/<ref>/<section>": owner_or_grantee,
    # 404 for everyone until the filing is computed (the World's is not): refusals are still checked.
    "GET /filings/<ref>/computation/sheet": Access(NOBODY, OWNER_OR_ASSIGNED),
    "POST /filings/<ref>/computation": owner_or_grantee,
    "POST /filings/<ref>/regime": owner_or_grantee,
    "POST /filings/<ref>/ready": owner_or_grantee,
    "POST /filings/<ref>/family/add": owner_or_grantee,
    "POST /filings/<ref>/family/<int:member_id>/remove": deleting(owner_or_grantee),
    "POST /filings/<ref>/foreign-assets/add": owner_or_grantee,
    "POST /filings/<ref>/foreign-assets/<int:asset_id>/remove": deleting(owner_or_grantee),
    "POST /filings/<ref>/challans/add": owner_or_grantee,
    "POST /filings/<ref>/challans/<int:challan_id>/remove": deleting(owner_or_grantee),
    "POST /filings/<ref>/bank-accounts/add": owner_or_grantee,
    "POST /filings/<ref>/bank-accounts/<int:account_id>/refund": owner_or_grantee,
    "POST /filings/<ref>/bank-accounts/<int:account_id>/remove": deleting(owner_or_grantee),
    "GET /filings/<ref>/itr/download": owner_or_grantee,
    "POST /filings/<ref>/itr/filed": owner_or_grantee,
    "POST /filings/<ref>/sharing/add": owner,
    "POST /filings/<ref>/sharing/<int:grant_id>/revoke": owner,
    "GET /api/v1/openapi.json": public,
    "GET /api/v1/filings": signed_in_seeing("owner", "assigned"),
    "POST /api/v1/filings": any_signed_in,
    "GET /api/v1/filings/<int:filing_id>": owner_or_grantee,
    "PATCH /api/v1/filings/<int:filing_id>": owner_or_grantee,
    "DELETE /api/v1/filings/<int:filing_id>": owner,
    "POST /api/v1/filings/<int:filing_id>/compute": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/ready": owner_or_grantee,
    "GET /api/v1/filings/<int:filing_id>/history": owner_or_grantee,
    "GET /api/v1/filings/<int:filing_id>/family-members": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/family-members": owner_or_grantee,
    "DELETE /api/v1/filings/<int:filing_id>/family-members/<int:member_id>": deleting(owner_or_grantee),
    "GET /api/v1/filings/<int:filing_id>/foreign-assets": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/foreign-assets": owner_or_grantee,
    "DELETE /api/v1/filings/<int:filing_id>/foreign-assets/<int:asset_id>": deleting(owner_or_grantee),
    "GET /api/v1/filings/<int:filing_id>/challans": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/challans": owner_or_grantee,
    "DELETE /api/v1/filings/<int:filing_id>/challans/<int:challan_id>": deleting(owner_or_grantee),
    "GET /api/v1/filings/<int:filing_id>/bank-accounts": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/bank-accounts": owner_or_grantee,
    "GET /api/v1/filings/<int:filing_id>/itr.json": owner_or_grantee,
    "POST /api/v1/filings/<int:filing_id>/filed": owner_or_grantee,
    "GET /api/v1/filings/<int:filing_id>/grants": owner,
    "POST /api/v1/filings/<int:filing_id>/grants": owner,
    "DELETE /api/v1/filings/<int:filing_id>/grants/<int:grant_id>": owner,
    # bank accounts: one's own (a shared filing's accounts go through the filing routes above)
    "GET /api/v1/bank-accounts": any_signed_in,
    "POST /api/v1/bank-accounts": any_signed_in,
    "POST /api/v1/bank-accounts/<int:account_id>/refund": owner,
    "DELETE /api/v1/bank-accounts/<int:account_id>": owner,
    # documents
    "GET /documents": any_signed_in,
    "POST /documents": any_signed_in,
    "GET /documents/<int:document_id>": owner,
    "POST /documents/<int:document_id>/apply": owner,
    "POST /documents/<int:document_id>/delete": owner,
    "GET /documents/<int:document_id>/download": owner,
    "GET /documents/<int:document_id>/image": owner,
    "GET /api/v1/documents": any_signed_in,
    "POST /api/v1/documents": any_signed_in,
    "GET /api/v1/documents/<int:document_id>": owner,
    "DELETE /api/v1/documents/<int:document_id>": owner,
    "POST /api/v1/documents/<int:document_id>/apply": owner,
    "GET /api/v1/documents/<int:document_id>/file": owner,
    # jobs
    "GET /api/v1/jobs/<job_id>": owner,
    # notifications
    "GET /notifications": any_signed_in,
    "POST /notifications/<bigint:note_id>/read": owner,
    "POST /notifications/read-all": any_signed_in,
    "GET /api/v1/notifications": any_signed_in,
    "GET /api/v1/notifications/unread-count": any_signed_in,
    "POST /api/v1/notifications/<bigint:note_id>/read": owner,
    "POST /api/v1/notifications/read-all": any_signed_in,
    # tickets: the owner, the preparer it is assigned to, and admins
    "GET /tickets": any_signed_in,
    "GET /tickets/new": any_signed_in,
    "POST /tickets/new": any_signed_in,
    "GET /tickets/queue": staff,
    "GET /tickets/<int:ticket_id>": owner_or_assigned_preparer,
    "POST /tickets/<int:ticket_id>/messages": owner_or_assigned_preparer,
    "POST /tickets/<int:ticket_id>/close": owner_or_assigned_preparer,
    "GET /tickets/<int:ticket_id>/attachment": owner_or_assigned_preparer,
    "POST /tickets/<int:ticket_id>/assign": Access(ASSIGNED_OR_ADMIN, ASSIGNED_OR_ADMIN),
    "GET /api/v1/tickets": any_signed_in,
    "POST /api/v1/tickets": any_signed_in,
    "GET /api/v1/tickets/<int:ticket_id>": owner_or_assigned_preparer,
    "POST /api/v1/tickets/<int:ticket_id>/messages": owner_or_assigned_preparer,
    "POST /api/v1/tickets/<int:ticket_id>/close": owner_or_assigned_preparer,
    "POST /api/v1/tickets/<int:ticket_id>/assign": Access(ASSIGNED_OR_ADMIN, ASSIGNED_OR_ADMIN),
    # invoices: the customer, the issuing preparer, admins
    "GET /invoices": signed_in_seeing("owner", "assigned", "admin"),
    "GET /invoices/new": staff,
    "POST /invoices/new": staff,
    "GET /invoices/<int:invoice_id>": owner_or_assigned_preparer,
    "GET /invoices/<int:invoice_id>/pdf": owner_or_assigned_preparer,
    "POST /invoices/<int:invoice_id>/paid": owner_or_assigned_preparer,
    "GET /api/v1/invoices": signed_in_seeing("owner", "assigned", "admin"),
    "POST /api/v1/invoices": staff,
    "GET /api/v1/invoices/<int:invoice_id>": owner_or_assigned_preparer,
    "POST /api/v1/invoices/<int:invoice_id>/paid": owner_or_assigned_preparer,
    # admin
    "GET /admin": admin,
    "GET /admin/users": admin,
    "POST /admin/users/<int:user_id>": admin,
    "GET /admin/queues": admin,
    "POST /admin/jobs/<job_id>/retry": admin,
    "GET /admin/announcements": admin,
    "GET /api/v1/admin/users": admin,
    "PATCH /api/v1/admin/users/<int:user_id>": admin,
    "GET /api/v1/admin/jobs": admin,
    "POST /api/v1/admin/jobs/<job_id>/retry": admin,
    "POST /api/v1/admin/announcements": admin,
    # the RQ dashboard (admins only; job arguments are ids, see test_pii.py)
    "GET /admin/rq/": admin,
    "GET /admin/rq/<int:instance_number>/": admin,
    "GET /admin/rq/<int:instance_number>/view": admin,
    "GET /admin/rq/<int:instance_number>/view/queues": admin,
    "GET /admin/rq/<int:instance_number>/view/workers": admin,
    "GET /admin/rq/<int:instance_number>/view/jobs": admin,
    "GET /admin/rq/<int:instance_number>/view/jobs/<queue_name>/<registry_name>/<int:per_page>/<order>/<int:page>": admin,
    "GET /admin/rq/<int:instance_number>/view/job/<job_id>": admin,
    "GET /admin/rq/<int:instance_number>/data/queues.json": admin,
    "GET /admin/rq/<int:instance_number>/data/workers.json": admin,
    "GET /admin/rq/<int:instance_number>/data/job/<job_id>.json": admin,
    "GET /admin/rq/<int:instance_number>/data/jobs/<queue_name>/<registry_name>/<per_page>/<order>/<page>.json": admin,
    "GET /admin/rq/favicon.ico": admin,
    "GET /admin/rq/static/<path:filename>": admin,
    "POST /admin/rq/job/<job_id>/delete": admin,
    "POST /admin/rq/job/<job_id>/requeue": admin,
    "POST /admin/rq/queue/<queue_name>/<registry_name>/empty": admin,
    "POST /admin/rq/queue/<queue_name>/compact": admin,
    # A link must not requeue a whole registry: admins get 405 for GET.
    "GET /admin/rq/requeue/<queue_name>": Access(NOBODY, NOBODY, status={"admin": 405}),
    "POST /admin/rq/requeue/<queue_name>": admin,
}
