"""SQLAlchemy models, one module per aggregate; every user-owned row carries `user_id`."""
from .audit import AuditLog
from .base import Base
from .document import Document
from .filing import (
    BankAccount,
    DeductionItem,
    FamilyMember,
    Filing,
    FilingExport,
    FilingGrant,
    ForeignAsset,
    IncomeItem,
    TaxChallan,
)
from .invoice import Invoice
from .job import IdempotencyKey, Job, Outbox
from .notification import Notification, NotificationRead
from .stale_key import StaleRedisKey
from .ticket import ServiceTicket, TicketMessage
from .user import User, UserSession

__all__ = [
    "AuditLog", "BankAccount", "Base", "DeductionItem", "Document", "FamilyMember", "Filing",
    "FilingExport", "FilingGrant", "ForeignAsset", "IdempotencyKey", "IncomeItem", "Invoice", "Job", "Notification", "NotificationRead",
    "Outbox", "ServiceTicket", "StaleRedisKey", "TaxChallan", "TicketMessage", "User", "UserSession",
]
