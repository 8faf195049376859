"""ITR-1 export: the return JSON for the e-filing portal, and marking a return filed.

Loaded through `app.filings.access.load` (owner or granted preparer; anyone else gets a 404).
"""
from __future__ import annotations

from flask import g, jsonify

from ..auth.guard import login_required
from ..extensions import db
from ..filings import access
from ..itr import service
from . import bp
from .helpers import json_body, only_keys


@bp.get("/filings/<int:filing_id>/itr.json")
@login_required
def itr_json(filing_id: int):
    filing = access.load(db.session, g.user, filing_id)
    return service.download(filing, service.export_for_user(db.session, filing, g.user))


@bp.post("/filings/<int:filing_id>/filed")
@login_required
def mark_filed(filing_id: int):
    filing = access.load(db.session, g.user, filing_id, for_update=True)
    data = json_body()
    only_keys(data, {"confirm"})
    kept = service.mark_filed(db.session, filing, g.user, data.get("confirm"))
    return jsonify(id=filing.id, status=filing.status, export={"id": kept.id, "sha256": kept.sha256,
                                                               "created_at": kept.created_at.isoformat()})
