"""One Config object built from environment variables and validated at start."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A missing or malformed environment variable; str() is one line naming it."""


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if not value.startswith(schemes):
        raise ConfigError(f"{name} must start with one of {', '.join(schemes)}, got {value!r}")
    return value


def _sentinels(name: str) -> tuple[tuple[str, int], ...]:
    """`REDIS_SENTINELS=host:port,host:port` → ((host, port), ...); empty means no Sentinel."""
    raw = (os.environ.get(name) or "").replace(" ", "")
    out = []
    for item in filter(None, raw.split(",")):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"{name} must look like 'host:26379,host:26379', got {raw!r}")
        out.append((host.strip("[]"), int(port)))
    return tuple(out)


def _secret_key(var_dir: Path) -> str:
    value = os.environ.get("SECRET_KEY", "")
    if not value:
        key_file = var_dir / "secret_key"
        if key_file.exists():
            value = key_file.read_text().strip()
    if len(value) < 32:
        raise ConfigError("SECRET_KEY must be set to at least 32 characters (make run writes var/secret_key)")
    return value


@dataclass(frozen=True)
class Config:
    database_url: str
    database_read_url: str | None
    redis_url: str
    secret_key: str
    var_dir: Path
    upload_dir: Path
    mail_dir: Path
    db_pool_size: int = 5
    db_max_overflow: int = 5
    db_pool_timeout: float = 2.0
    db_connect_timeout: int = 2
    db_statement_timeout_ms: int = 5000
    db_pgbouncer: bool = False
    db_read_max_lag_seconds: float = 5.0
    redis_timeout: float = 0.3
    redis_breaker_seconds: float = 3.0
    redis_sentinel_hosts: tuple[tuple[str, int], ...] = ()
    redis_sentinel_master: str = "taxdesk"
    session_lifetime_hours: int = 72
    secure_cookies: bool = False
    proxy_hops: int = 1
    api_rate_limit: str = "300 per minute"
    login_account_threshold: int = 5
    login_ip_threshold: int = 20
    login_lock_seconds: int = 60
    max_upload_mb: int = 20
    ocr_max_pages: int = 20
    ocr_max_pixels: int = 40_000_000
    ocr_page_timeout: float = 60.0
    smtp_url: str | None = None
    mail_from: str = "TaxDesk <no-reply@taxdesk.local>"
    public_url: str = "http://127.0.0.1:8080"
    rq_dashboard_destructive: bool = False
    realtime_sweep_seconds: float = 15.0
    instance: str = field(default_factory=lambda: os.environ.get("INSTANCE") or os.uname().nodename)

    # With Sentinel, REDIS_URL still carries the password and database number; its host is only the
    # address used before the first Sentinel answer (and by tools that know no Sentinel).
    @property
    def redis_db(self) -> int:
        path = urlsplit(self.redis_url).path.strip("/")
        return int(path) if path.isdigit() else 0

    @property
    def redis_password(self) -> str | None:
        return urlsplit(self.redis_url).password

    def _sentinel_netloc(self) -> str:
        auth = f":{quote(self.redis_password, safe='')}@" if self.redis_password else ""
        return auth + ",".join(f"{host}:{port}" for host, port in self.redis_sentinel_hosts)

    @property
    def limiter_storage_uri(self) -> str:
        """Flask-Limiter (`limits`) storage: `redis+sentinel://h:p,h:p/master` under Sentinel."""
        if not self.redis_sentinel_hosts:
            return self.redis_url
        return f"redis+sentinel://{self._sentinel_netloc()}/{self.redis_sentinel_master}"

    @property
    def socketio_url(self) -> str:
        """python-socketio RedisManager URL: `redis+sentinel://h:p,h:p/db/master` under Sentinel."""
        if not self.redis_sentinel_hosts:
            return self.redis_url
        return f"redis+sentinel://{self._sentinel_netloc()}/{self.redis_db}/{self.redis_sentinel_master}"

    @property
    def rq_dashboard_redis_url(self) -> str:
        """rq-dashboard (redis_sentinel_url) spells it `redis+sentinel://h:p,h:p/master/db`."""
        if not self.redis_sentinel_hosts:
            return self.redis_url
        hosts = ",".join(f"{host}:{port}" for host, port in self.redis_sentinel_hosts)
        return f"redis+sentinel://{hosts}/{self.redis_sentinel_master}/{self.redis_db}"


def load() -> Config:
    """Read the environment once; raise ConfigError naming the first bad variable."""
    var_dir = Path(os.environ.get("VAR_DIR") or ROOT / "var").resolve()
    smtp = os.environ.get("SMTP_URL") or None
    if smtp is not None and not smtp.startswith(("smtp://", "smtps://")):
        raise ConfigError(f"SMTP_URL must start with smtp:// or smtps://, got {smtp!r}")
    rate = os.environ.get("API_RATE_LIMIT") or "300 per minute"
    if " per " not in rate:
        raise ConfigError(f"API_RATE_LIMIT must look like '300 per minute', got {rate!r}")
    read_url = os.environ.get("DATABASE_READ_URL") or None
    if read_url is not None:
        read_url = _url("DATABASE_READ_URL", read_url, ("postgresql",))
    return Config(
        database_url=_url(
            "DATABASE_URL",
            "postgresql+psycopg://taxdesk:taxdesk@127.0.0.1:5432/taxdesk",
            ("postgresql",),
        ),
        database_read_url=read_url,
        redis_url=_url("REDIS_URL", "redis://127.0.0.1:6380/0", ("redis://", "rediss://", "unix://")),
        secret_key=_secret_key(var_dir),
        var_dir=var_dir,
        upload_dir=Path(os.environ.get("UPLOAD_DIR") or var_dir / "uploads").resolve(),
        mail_dir=Path(os.environ.get("MAIL_DIR") or var_dir / "mail").resolve(),
        db_pool_size=_int("DB_POOL_SIZE", 5, 1),
        db_max_overflow=_int("DB_MAX_OVERFLOW", 5),
        db_pool_timeout=_float("DB_POOL_TIMEOUT", 2.0),
        db_connect_timeout=_int("DB_CONNECT_TIMEOUT", 2, 1),
        db_statement_timeout_ms=_int("DB_STATEMENT_TIMEOUT_MS", 5000, 0),
        db_pgbouncer=_bool("DB_PGBOUNCER", False),
        db_read_max_lag_seconds=_float("DB_READ_MAX_LAG_SECONDS", 5.0),
        redis_timeout=_float("REDIS_TIMEOUT", 0.3),
        redis_breaker_seconds=_float("REDIS_BREAKER_SECONDS", 3.0),
        redis_sentinel_hosts=_sentinels("REDIS_SENTINELS"),
        redis_sentinel_master=os.environ.get("REDIS_SENTINEL_MASTER") or "taxdesk",
        session_lifetime_hours=_int("SESSION_LIFETIME_HOURS", 72, 1),
        secure_cookies=_bool("SECURE_COOKIES", False),
        proxy_hops=_int("PROXY_HOPS", 1, 1),
        api_rate_limit=rate,
        login_account_threshold=_int("LOGIN_ACCOUNT_THRESHOLD", 5, 1),
        login_ip_threshold=_int("LOGIN_IP_THRESHOLD", 20, 1),
        login_lock_seconds=_int("LOGIN_LOCK_SECONDS", 60, 1),
        max_upload_mb=_int("MAX_UPLOAD_MB", 20, 1),
        ocr_max_pages=_int("OCR_MAX_PAGES", 20, 1),
        ocr_max_pixels=_int("OCR_MAX_PIXELS", 40_000_000, 1),
        ocr_page_timeout=_float("OCR_PAGE_TIMEOUT", 60.0),
        smtp_url=smtp,
        mail_from=os.environ.get("MAIL_FROM") or "TaxDesk <no-reply@taxdesk.local>",
        public_url=_url("PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT') or 8080}", ("http://", "https://")),
        rq_dashboard_destructive=_bool("RQ_DASHBOARD_DESTRUCTIVE", False),
        realtime_sweep_seconds=_float("REALTIME_SWEEP_SECONDS", 15.0),
    )
