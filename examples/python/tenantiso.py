"""Python bindings for libtenantiso, over its C ABI with ctypes only.

libtenantiso decides whether a cross-tenant connection is allowed under a
Microsoft Power Platform tenant isolation policy. This module needs no
compiled extension: it loads the shared library named by the environment
variable ``TENANTISO_LIBRARY`` (a path) or found by the system's loader.

    >>> with Policy.from_file("policy.json") as policy:
    ...     decision = policy.evaluate(creator, target)
    ...     if not decision.allowed:
    ...         print(decision.message)

Fail closed: every failure raises :class:`TenantIsoError`; no call ever turns
an error into an allow.

Threads: a policy is immutable and a policy set swaps policies atomically, so
``evaluate`` may run on any number of threads at once, also while another
thread calls ``PolicySet.replace`` or ``remove``. ctypes releases the GIL
around each foreign call, and every call works on its own request and
decision structs; the only state this module shares is ``evaluate_many``'s
cache of parsed IDs and packed requests, changed one dict operation at a
time (atomic under the GIL). The one rule is the
C library's: do not ``close()`` an object while other threads still use it
(garbage collection never does that, since a running call holds a reference).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import io
import os
import struct
import sys
import threading
import weakref
from ctypes import (POINTER, Structure, byref, c_bool, c_char, c_char_p, c_int, c_int32, c_int64,
                    c_size_t, c_uint, c_uint8, c_uint32, c_uint64, c_void_p)
from itertools import chain
from operator import itemgetter
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence, Union

__all__ = [
    "Decision", "DomainMap", "Policy", "PolicyEntry", "PolicySet", "PolicyWarning", "Provenance",
    "TenantIdCache", "TenantIsoError", "abi_version", "library_path", "parse_tenant_id", "resolve",
    "version",
]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
Domains = Union[PathLike, Mapping[str, str], "DomainMap", None]

#: The ABI (SONAME number) this module was written against.
_ABI_VERSION = 1

# ---------------------------------------------------------------------------
# The C structs, field for field as in include/tenantiso/*.h. Enums are C ints.


class _TenantId(Structure):
    _fields_ = [("bytes", c_uint8 * 16)]


class _Error(Structure):
    _fields_ = [
        ("status", c_int),
        ("line", c_uint32),
        ("column", c_uint32),
        ("offset", c_uint64),
        ("path", c_char * 256),
        ("message", c_char * 512),
    ]


class _Decision(Structure):
    _fields_ = [
        ("verdict", c_int),
        ("reason", c_int),
        ("direction", c_int),
        ("rule", c_int32),
        ("external_tenant", _TenantId),
        ("creator", _TenantId),
        ("target", _TenantId),
        ("blocked_by", _TenantId),
        ("policy_id", c_uint64),
    ]


class _Request(Structure):
    _fields_ = [
        ("creator", _TenantId),
        ("target", _TenantId),
        ("direction", c_int),
        ("connector", c_char_p),
        ("auth", c_int),
    ]


class _SetDecision(Structure):
    _fields_ = [("decision", _Decision), ("outbound", _Decision), ("inbound", _Decision)]


class _Resolver(Structure):  # opaque
    pass


class _Policy(Structure):  # opaque
    pass


class _PolicySet(Structure):  # opaque
    pass


_ResolverP = POINTER(_Resolver)
_PolicyP = POINTER(_Policy)
_PolicySetP = POINTER(_PolicySet)


class _LoadOptions(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("max_entries", c_uint32),
        ("max_document_bytes", c_uint64),
        ("max_string_bytes", c_uint32),
        ("max_depth", c_uint32),
        ("resolver", _ResolverP),
        ("source", c_char_p),
    ]


class _PolicyEntry(Structure):
    _fields_ = [
        ("tenant", _TenantId),
        ("is_wildcard", c_int),
        ("directions", c_uint),
        ("display_name", c_char_p),
        ("domain", c_char_p),
    ]


class _Warning(Structure):
    _fields_ = [("code", c_int), ("path", c_char_p), ("message", c_char_p)]


class _Provenance(Structure):
    _fields_ = [
        ("source", c_char_p),
        ("loaded_at_ns", c_int64),
        ("sha256", c_uint8 * 32),
        ("sha256_hex", c_char * 65),
        ("id", c_uint64),
    ]


# Exported for the layout test: every struct this module mirrors.
_STRUCTS = {
    "tiso_tenant_id": _TenantId, "tiso_error": _Error, "tiso_decision": _Decision,
    "tiso_request": _Request, "tiso_set_decision": _SetDecision, "tiso_load_options": _LoadOptions,
    "tiso_policy_entry": _PolicyEntry, "tiso_warning": _Warning, "tiso_provenance": _Provenance,
}

# Enum values from the headers; they are part of the ABI and never renumbered.
_OK = 0
_E_INVALID_ARGUMENT = 1
_E_INVALID_TENANT = 3
_E_NOT_FOUND = 9
_DIRECTION_NONE = 0
_DIRECTIONS = {"auto": 3, "inbound": 1, "outbound": 2}
_AUTH_KINDS = {None: 0, "entra": 1, "non_entra": 2}
_ALLOW_INBOUND = 0x1
_ALLOW_OUTBOUND = 0x2
_SET_UNKNOWN_ISOLATED = 0x1
_LOAD_OPTIONS_VERSION = 1

# ---------------------------------------------------------------------------
# Prototypes: (result type, argument types) of every function this module calls.

_St = c_int  # tiso_status
_P = POINTER
_PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    "tiso_version": (c_char_p, []),
    "tiso_abi_version": (c_int, []),
    "tiso_status_name": (c_char_p, [_St]),
    "tiso_strerror": (c_char_p, [_St]),
    "tiso_free": (None, [c_void_p]),
    "tiso_tenant_id_parse": (_St, [_P(_TenantId), c_char_p, c_size_t]),
    "tiso_tenant_id_parse_ex": (_St, [_P(_TenantId), c_char_p, c_size_t, _P(_Error)]),
    "tiso_tenant_id_format": (_St, [c_char_p, _P(_TenantId)]),
    "tiso_resolver_new_static": (_St, [_P(_ResolverP), _P(_Error)]),
    "tiso_resolver_static_add": (_St, [_ResolverP, c_char_p, _P(_TenantId), _P(_Error)]),
    "tiso_resolver_load_map_file": (_St, [_P(_ResolverP), c_char_p, _P(_Error)]),
    "tiso_resolver_resolve": (_St, [_P(_TenantId), _ResolverP, c_char_p, _P(_Error)]),
    "tiso_resolver_free": (None, [_ResolverP]),
    "tiso_load_options_init": (None, [_P(_LoadOptions)]),
    "tiso_policy_load_json": (_St, [_P(_PolicyP), c_char_p, c_size_t, _P(_LoadOptions), _P(_Error)]),
    "tiso_policy_load_file": (_St, [_P(_PolicyP), c_char_p, _P(_LoadOptions), _P(_Error)]),
    "tiso_policy_ref": (_PolicyP, [_PolicyP]),
    "tiso_policy_free": (None, [_PolicyP]),
    "tiso_policy_home_tenant": (c_int, [_P(_TenantId), _PolicyP]),
    "tiso_policy_isolation_enabled": (c_int, [_PolicyP]),
    "tiso_policy_evaluates_non_entra": (c_int, [_PolicyP]),
    "tiso_policy_entry_count": (c_size_t, [_PolicyP]),
    "tiso_policy_entry_at": (_St, [_P(_PolicyEntry), _PolicyP, c_size_t]),
    "tiso_policy_warning_count": (c_size_t, [_PolicyP]),
    "tiso_policy_warning_at": (_St, [_P(_Warning), _PolicyP, c_size_t]),
    "tiso_warning_code_name": (c_char_p, [c_int]),
    "tiso_policy_source": (c_char_p, [_PolicyP]),
    "tiso_policy_provenance": (_St, [_P(_Provenance), _PolicyP]),
    "tiso_policy_to_json": (_St, [_P(c_void_p), _P(c_size_t), _PolicyP, c_int, _P(_Error)]),
    "tiso_evaluate_request": (_St, [_P(_Decision), _PolicyP, _P(_Request)]),
    "tiso_decision_message": (c_size_t, [c_char_p, c_size_t, _P(_Decision)]),
    "tiso_reason_name": (c_char_p, [c_int]),
    "tiso_verdict_name": (c_char_p, [c_int]),
    "tiso_direction_name": (c_char_p, [c_int]),
    "tiso_policy_set_new": (_St, [_P(_PolicySetP), c_uint, _P(_Error)]),
    "tiso_policy_set_put": (_St, [_PolicySetP, _PolicyP, _P(_Error)]),
    "tiso_policy_set_add": (_St, [_PolicySetP, _PolicyP, _P(_Error)]),
    "tiso_policy_set_remove": (_St, [_PolicySetP, _P(_TenantId), _P(_Error)]),
    "tiso_policy_set_get": (_St, [_P(_PolicyP), _PolicySetP, _P(_TenantId)]),
    "tiso_policy_set_count": (c_size_t, [_PolicySetP]),
    "tiso_policy_set_evaluate_request": (_St, [_P(_Decision), _PolicySetP, _P(_Request)]),
    "tiso_policy_set_load_file": (_St, [_PolicySetP, c_char_p, _P(_LoadOptions), _P(_Error)]),
    "tiso_policy_set_free": (None, [_PolicySetP]),
    # The batch calls (batch.h): packed requests in, arrays out.
    "tiso_evaluate_batch": (_St, [c_void_p, c_void_p, _PolicyP, c_void_p, c_size_t]),
    "tiso_policy_set_decide_batch": (_St, [c_void_p, c_void_p, _PolicySetP, c_void_p, c_size_t]),
}


def _find_library() -> str:
    """The library's path or soname: TENANTISO_LIBRARY, else the loader's."""
    explicit = os.environ.get("TENANTISO_LIBRARY")
    if explicit:
        return explicit
    return ctypes.util.find_library("tenantiso") or "libtenantiso.so.1"


def _load() -> tuple[ctypes.CDLL, str]:
    name = _find_library()
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise ImportError(f"tenantiso: cannot load the library {name!r}: {exc} "
                          "(set TENANTISO_LIBRARY to its path)") from exc
    for fname, (restype, argtypes) in _PROTOTYPES.items():
        func = getattr(lib, fname, None)
        if func is None:
            raise ImportError(f"tenantiso: {name} lacks {fname}; is it an older libtenantiso?")
        func.restype = restype
        func.argtypes = argtypes
    abi = lib.tiso_abi_version()
    if abi != _ABI_VERSION:
        raise ImportError(f"tenantiso: {name} has ABI {abi}, this module needs {_ABI_VERSION}")
    return lib, name


_lib, _lib_name = _load()


def _names(func: Any, values: Iterable[int]) -> dict[int, str]:
    """Enum value -> the library's own name for it, read once at import."""
    return {v: func(v).decode() for v in values}


# Read-only after import, so threads share them safely. A value a newer
# library adds is asked for by name when met.
_REASONS = _names(_lib.tiso_reason_name, range(8))
_VERDICTS = _names(_lib.tiso_verdict_name, range(2))
_DIRECTION_NAMES = _names(_lib.tiso_direction_name, range(4))

# ---------------------------------------------------------------------------
# Errors


class TenantIsoError(Exception):
    """A libtenantiso call failed; no decision was made (treat it as a deny).

    ``code`` is the library's stable status name (``"invalid_tenant"``,
    ``"syntax"``, ``"inconsistent_direction"``, ...), ``message`` its
    explanation. ``path``, ``line`` and ``column`` locate the problem in a
    policy document when they apply (else ``None``)."""

    def __init__(self, code: str, message: str, *, status: int = -1, path: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles (e.g. across multiprocessing) despite the keyword arguments.
        return (type(self), (self.code, self.message), self.__dict__)


def _error(status: int, message: Optional[str] = None) -> TenantIsoError:
    """An error for a status without detail: the library's own text for it."""
    text = message or _lib.tiso_strerror(status).decode()
    return TenantIsoError(_lib.tiso_status_name(status).decode(), text, status=status)


def _raise(status: int, err: _Error) -> None:
    """Raises the error a failed call described in `err`."""
    message = err.message.decode(errors="replace") or _lib.tiso_strerror(status).decode()
    raise TenantIsoError(
        _lib.tiso_status_name(status).decode(), message, status=status,
        path=err.path.decode(errors="replace") or None,
        line=err.line or None, column=err.column or None)


def _misuse(message: str) -> TenantIsoError:
    return _error(_E_INVALID_ARGUMENT, message)


# ---------------------------------------------------------------------------
# Tenant IDs


def _text(value: Any, what: str) -> bytes:
    """UTF-8 bytes of a str argument for a C string; anything else is misuse.

    A NUL inside would silently cut the C string short (a connector name
    could turn into a known one), so it is refused."""
    if not isinstance(value, str):
        raise _misuse(f"{what} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise _misuse(f"{what} contains a NUL character")
    return value.encode("utf-8", "surrogateescape")


def _parse_into(out: _TenantId, text: Any, what: str) -> None:
    """Parses `text` into `out`, or raises invalid_tenant with the reason.

    The exact byte length goes to the library, so an embedded NUL cannot cut
    a string short into a valid ID: the library refuses it."""
    if not isinstance(text, str):
        raise _misuse(f"{what} must be a str, not {type(text).__name__}")
    raw, size = _sized(text)
    if _lib.tiso_tenant_id_parse(out, raw, size) == _OK:
        return
    err = _Error()  # the slow path only: ask again for the reason
    status = _lib.tiso_tenant_id_parse_ex(out, raw, size, byref(err))
    raise TenantIsoError(_lib.tiso_status_name(status).decode(),
                         f"{what}: {err.message.decode(errors='replace')}", status=status)


def _sized(text: str) -> tuple[bytes, int]:
    """A str as (bytes, length) for the library's length-taking parsers."""
    raw = text.encode("utf-8", "surrogateescape")
    return raw, len(raw)


def _format(tid: _TenantId) -> Optional[str]:
    """Canonical text of a tenant ID; None for the nil GUID ("none")."""
    if not any(tid.bytes):
        return None
    buf = ctypes.create_string_buffer(37)
    _lib.tiso_tenant_id_format(buf, tid)
    return buf.value.decode()


def parse_tenant_id(text: str) -> str:
    """Validates a tenant ID and returns its canonical (lowercase) form.

    Raises TenantIsoError ``invalid_tenant`` for anything that is not
    8-4-4-4-12 hex digits, and for the nil GUID."""
    tid = _TenantId()
    _parse_into(tid, text, "tenant ID")
    return _format(tid) or ""


def version() -> str:
    """The version of the loaded library, e.g. ``"0.2.0"``."""
    return _lib.tiso_version().decode()


def abi_version() -> int:
    """The ABI version (the SONAME's number) of the loaded library."""
    return int(_lib.tiso_abi_version())


def library_path() -> str:
    """The path or soname the library was loaded from."""
    return _lib_name


# ---------------------------------------------------------------------------
# Decisions


class _VerdictByte(Structure):
    """Where tiso_decision's verdict (0 or 1, a C int) keeps its value: its
    low-order byte. Read as a C bool there, ``Decision.allowed`` is one
    field access, with no Python code run (a batch makes many decisions)."""
    _fields_ = ([("allowed", c_bool)] if sys.byteorder == "little"
                else [("_high", c_uint8 * (ctypes.sizeof(c_int) - 1)), ("allowed", c_bool)])


class Decision(_Decision):
    """One decision: a verdict and why. Made by ``evaluate``; immutable.

    A decision is the library's tiso_decision struct itself (a decision of
    ``evaluate_many`` shares the batch's array), and each attribute reads its
    field when accessed, so making a decision costs nothing for the fields
    nobody reads."""

    __slots__ = ()

    #: For a decision of ``evaluate_many`` that could not be made: the
    #: library's status name (``"invalid_tenant"``, ...); None otherwise.
    error_code: Optional[str] = None
    #: What went wrong, beside ``error_code``; None otherwise.
    error_message: Optional[str] = None

    #: True for an allow (``verdict == "allow"``); a bool.
    allowed = _VerdictByte.allowed

    # The struct's fields under private names: the public ones are the
    # properties below, which give them Python types.
    _verdict, _reason, _direction = _Decision.verdict, _Decision.reason, _Decision.direction
    _rule, _external, _creator = _Decision.rule, _Decision.external_tenant, _Decision.creator
    _target, _blocked, _policy = _Decision.target, _Decision.blocked_by, _Decision.policy_id

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Decision is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Decision is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        # The struct's bytes: a tiso_decision holds no pointer.
        return (_unpickle_decision, (bytes(self), self.error_code, self.error_message))

    @property
    def verdict(self) -> str:
        """``"allow"`` or ``"deny"``."""
        return _VERDICTS.get(self._verdict) or _lib.tiso_verdict_name(self._verdict).decode()

    @property
    def reason(self) -> str:
        """SPEC 3's name: ``same_tenant``, ``not_allowlisted``, ..."""
        return _REASONS.get(self._reason) or _lib.tiso_reason_name(self._reason).decode()

    @property
    def direction(self) -> Optional[str]:
        """``"inbound"``, ``"outbound"`` or None when no direction applied."""
        d = self._direction
        if d == _DIRECTION_NONE:
            return None
        return _DIRECTION_NAMES.get(d) or _lib.tiso_direction_name(d).decode()

    @property
    def rule(self) -> Optional[int]:
        """Index of the deciding allowedTenants entry, or None."""
        return None if self._rule < 0 else int(self._rule)

    @property
    def external_tenant(self) -> Optional[str]:
        """The tenant on the other side of the home tenant, or None."""
        return _format(self._external)

    @property
    def creator(self) -> Optional[str]:
        """The request's creator tenant."""
        return _format(self._creator)

    @property
    def target(self) -> Optional[str]:
        """The request's target tenant."""
        return _format(self._target)

    @property
    def blocked_by(self) -> Optional[str]:
        """For a deny, the tenant whose policy blocked; None otherwise."""
        return _format(self._blocked)

    @property
    def policy_id(self) -> Optional[int]:
        """Provenance ID of the policy that decided (see Policy.provenance), or None."""
        return int(self._policy) or None

    @property
    def message(self) -> str:
        """One or two sentences a person can act on."""
        buf = ctypes.create_string_buffer(1024)
        need = _lib.tiso_decision_message(buf, len(buf), self)
        if need >= len(buf):
            buf = ctypes.create_string_buffer(need + 1)
            _lib.tiso_decision_message(buf, len(buf), self)
        return buf.value.decode(errors="replace")

    def key(self) -> tuple[str, str, Optional[str], Optional[int], Optional[str]]:
        """(verdict, reason, direction, rule, blocked_by): what makes two decisions the same."""
        return (self.verdict, self.reason, self.direction, self.rule, self.blocked_by)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``tenantiso eval --json`` (SPEC 7)."""
        return {"verdict": self.verdict, "reason": self.reason, "direction": self.direction,
                "externalTenant": self.external_tenant, "rule": self.rule,
                "message": self.message, "blockedBy": self.blocked_by}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Decision) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return (f"Decision(verdict={self.verdict!r}, reason={self.reason!r}, "
                f"direction={self.direction!r}, rule={self.rule!r}, "
                f"external_tenant={self.external_tenant!r}, blocked_by={self.blocked_by!r})")


def _name_into(out: _TenantId, name: Any, what: str, resolver: Any) -> None:
    """Resolves `name`, a tenant ID or a domain, into `out`, or raises.

    The library classifies the name by its one rule for every surface
    (tiso_name_classify: "*", "" and broken tenant IDs are invalid_tenant);
    a domain is looked up in `resolver` (NULL: fails with ``resolve``)."""
    raw = _text(name, what)
    if _lib.tiso_tenant_id_parse(out, raw, len(raw)) == _OK:
        return  # a valid tenant ID is one by every rule: no error struct needed
    err = _Error()
    status = _lib.tiso_resolver_resolve(out, resolver, raw, byref(err))
    if status != _OK:
        raise TenantIsoError(_lib.tiso_status_name(status).decode(),
                             f"{what}: {err.message.decode(errors='replace')}", status=status)


def _request(creator: Any, target: Any, direction: Any, connector: Any, auth: Any,
             resolver: Any = None) -> _Request:
    """A C request from Python arguments; raises TenantIsoError on bad input."""
    req = _Request()
    _name_into(req.creator, creator, "creator", resolver)
    _name_into(req.target, target, "target", resolver)
    code = _DIRECTIONS.get(direction.lower()) if isinstance(direction, str) else None
    if code is None:
        raise _misuse(f"direction must be 'auto', 'inbound' or 'outbound', not {direction!r}")
    req.direction = code
    if connector is not None:
        req.connector = _text(connector, "connector")  # the struct keeps the bytes alive
    if auth not in _AUTH_KINDS:
        raise _misuse(f"auth must be None, 'entra' or 'non_entra', not {auth!r}")
    req.auth = _AUTH_KINDS[auth]
    return req


def _decided(status: int, decision: Decision) -> Decision:
    """The decision of a successful evaluation; fail closed otherwise."""
    if status != _OK:
        raise _error(status)
    return decision


# ---------------------------------------------------------------------------
# Ownership of C handles


class _Handle:
    """Owns one reference to a C object and drops it exactly once.

    weakref.finalize is the __del__ here: it runs once, from close() or when
    the owner is collected, whichever comes first, and it is not run at
    interpreter exit (daemon threads may still be evaluating then)."""

    __slots__ = ("ptr", "_finalizer", "__weakref__")

    def __init__(self, owner: object, ptr: Any, free: Any) -> None:
        self.ptr = ptr
        self._finalizer = weakref.finalize(owner, free, ptr)
        self._finalizer.atexit = False

    def get(self, what: str) -> Any:
        ptr = self.ptr
        if ptr is None:
            raise _misuse(f"the {what} is closed")
        return ptr

    def close(self) -> None:
        self.ptr = None
        self._finalizer()  # a no-op after the first call


# ---------------------------------------------------------------------------
# Resolvers: names given by domain


def _new_resolver(domains: Domains) -> Any:
    """A new static resolver (the caller frees it) from a path to a
    ``{"domain": "tenant-id"}`` JSON map, or such a dict."""
    err, ptr = _Error(), _ResolverP()
    if isinstance(domains, Mapping):
        status = _lib.tiso_resolver_new_static(byref(ptr), byref(err))
        if status != _OK:
            _raise(status, err)
        try:
            for name, tenant in domains.items():
                tid = _TenantId()
                _parse_into(tid, tenant, f"domains[{name!r}]")
                status = _lib.tiso_resolver_static_add(ptr, _text(name, "domain"), tid, byref(err))
                if status != _OK:
                    _raise(status, err)
        except BaseException:
            _lib.tiso_resolver_free(ptr)
            raise
        return ptr
    status = _lib.tiso_resolver_load_map_file(byref(ptr), os.fsencode(domains), byref(err))
    if status != _OK:
        _raise(status, err)
    return ptr


class _Closing:
    """`with` support for a class with close()."""

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()  # type: ignore[attr-defined]


class DomainMap(_Closing):
    """Resolves names given by domain through a static map: a path to a
    ``{"domain": "tenant-id"}`` JSON file (what ``tenantiso --domains``
    reads), or such a dict. Give it as ``domains=`` to load or evaluate;
    building it once saves reading the map on every call. Safe to share
    between threads; close it only when no call uses it any more."""

    def __init__(self, domains: Union[PathLike, Mapping[str, str]]) -> None:
        """Raises TenantIsoError (``io``, ``syntax``, ``invalid_domain``,
        ``invalid_tenant``, ``schema``) for a map that cannot be used."""
        self._handle = _Handle(self, _new_resolver(domains), _lib.tiso_resolver_free)

    def _ptr(self) -> Any:
        return self._handle.get("domain map")

    def resolve(self, name: str) -> str:
        """The canonical tenant ID of `name`, a tenant ID or a domain. Raises
        TenantIsoError ``invalid_tenant`` (also for "*" and ""),
        ``invalid_domain`` or ``not_found``."""
        tid = _TenantId()
        _name_into(tid, name, "name", self._ptr())
        return _format(tid) or ""

    @property
    def closed(self) -> bool:
        return self._handle.ptr is None

    def close(self) -> None:
        """Frees the map; later calls raise ``invalid_argument``."""
        self._handle.close()


class _Resolving:
    """The resolver for one call: a DomainMap's own (borrowed), one built
    from a path or dict (freed on exit), or NULL for None."""

    def __init__(self, domains: Domains) -> None:
        self._owned = None
        if isinstance(domains, DomainMap):
            self.resolver = domains._ptr()
        elif domains is not None:
            self._owned = self.resolver = _new_resolver(domains)
        else:
            self.resolver = None

    def __enter__(self) -> Any:
        return self.resolver

    def __exit__(self, *exc: object) -> None:
        if self._owned is not None:
            _lib.tiso_resolver_free(self._owned)
            self._owned = None


def resolve(name: str, domains: Domains = None) -> str:
    """The canonical tenant ID of `name`, a tenant ID or a domain resolved
    through `domains` (a DomainMap, a path to a map or a dict), as
    ``tenantiso resolve --domains`` does. Raises TenantIsoError
    (``invalid_tenant``, ``invalid_domain``, ``not_found``, ``resolve`` for a
    domain without `domains`)."""
    tid = _TenantId()
    with _Resolving(domains) as resolver:
        _name_into(tid, name, "name", resolver)
    return _format(tid) or ""


class _LoadContext(_Closing):
    """Load options with the resolver `domains` gives, if any. Policies keep
    only tenant IDs, so a resolver built for the load is freed after it."""

    def __init__(self, domains: Domains, source: Optional[str] = None) -> None:
        self.options = _LoadOptions()
        _lib.tiso_load_options_init(byref(self.options))
        if source is not None:
            self.options.source = _text(source, "source")
        self._resolving = _Resolving(domains)
        self.options.resolver = self._resolving.resolver

    def close(self) -> None:
        self._resolving.__exit__()


# ---------------------------------------------------------------------------
# Policies


class PolicyEntry(NamedTuple):
    """One allowedTenants entry, in document order."""
    tenant: str                  # canonical tenant ID, or "*"
    inbound: bool
    outbound: bool
    display_name: Optional[str]
    domain: Optional[str]        # the domain the entry was given by, if any


class PolicyWarning(NamedTuple):
    """Something that loads but is probably not what the author meant."""
    code: str                    # e.g. "duplicate_tenant", "unknown_key"
    path: str                    # JSON path
    message: str


class Provenance(NamedTuple):
    """Where a policy came from and a hash of what it says."""
    source: str
    loaded_at_ns: int            # Unix time in nanoseconds
    sha256: str                  # lowercase hex
    id: int                      # Decision.policy_id of decisions this policy made


def _str(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode(errors="replace")


class Policy:
    """A loaded tenant isolation policy: immutable, safe to share between threads.

    Make one with :meth:`from_file` or :meth:`from_json`. It owns a C
    reference, dropped by :meth:`close`, by ``with``, or when collected."""

    def __init__(self, _ptr: Any) -> None:
        """Internal: wraps a reference the caller hands over."""
        self._handle = _Handle(self, _ptr, _lib.tiso_policy_free)

    @classmethod
    def from_file(cls, path: PathLike, domains: Domains = None) -> "Policy":
        """Loads the admin API's policy document from `path`.

        `domains` resolves entries given by domain: a path to a
        ``{"domain": "tenant-id"}`` JSON map, or such a dict. Raises
        TenantIsoError (``io``, ``syntax`` with line and column, ``schema``,
        ``invalid_tenant``, ``not_found``, ``limit``, ...)."""
        with _LoadContext(domains) as ctx:
            ptr, err = _PolicyP(), _Error()
            status = _lib.tiso_policy_load_file(byref(ptr), os.fsencode(path),
                                                byref(ctx.options), byref(err))
        if status != _OK:
            _raise(status, err)
        return cls(ptr)

    @classmethod
    def from_json(cls, text: Union[str, bytes], domains: Domains = None,
                  source: Optional[str] = None) -> "Policy":
        """Loads a policy document from a string (or UTF-8 bytes).

        `source` names the input in error messages (default ``<memory>``).
        Errors as :meth:`from_file`."""
        raw = text if isinstance(text, bytes) else _text(text, "text")
        with _LoadContext(domains, source) as ctx:
            ptr, err = _PolicyP(), _Error()
            status = _lib.tiso_policy_load_json(byref(ptr), raw, len(raw), byref(ctx.options),
                                                byref(err))
        if status != _OK:
            _raise(status, err)
        return cls(ptr)

    def _ptr(self) -> Any:
        return self._handle.get("policy")

    def evaluate(self, creator: str, target: str, direction: str = "auto",
                 connector: Optional[str] = None, auth: Optional[str] = None, *,
                 domains: Domains = None) -> Decision:
        """Decides a connection from `creator` to `target`.

        `creator` and `target` are tenant IDs, or domains resolved through
        `domains` (a DomainMap, or a path to a map or a dict: built for this
        call); names are classified as every tenantiso command does.
        `direction` is ``"auto"``, ``"inbound"`` or ``"outbound"``;
        `connector` an identifier such as ``"shared_office365"``; `auth`
        overrides the library's knowledge of the connector (``"entra"`` or
        ``"non_entra"``). Raises TenantIsoError (``invalid_tenant`` (also for
        "*"), ``invalid_domain``, ``not_found``, ``resolve`` (a domain without
        `domains`), ``no_home_tenant``, ``inconsistent_direction``,
        ``invalid_argument``) when no decision can be made."""
        with _Resolving(domains) as resolver:
            req = _request(creator, target, direction, connector, auth, resolver)
        out = Decision()
        return _decided(_lib.tiso_evaluate_request(byref(out), self._ptr(), byref(req)), out)

    def evaluate_many(self, requests: Iterable[Any],
                      ids: Optional["TenantIdCache"] = None) -> list[Decision]:
        """Decides many requests in one call into the library (SPEC 13).

        Each request is a ``(creator, target)`` or ``(creator, target,
        direction)`` tuple, or a mapping with the keys of a ``--batch`` line:
        ``creator``, ``target``, ``direction``, ``connector`` (and ``auth``).
        Returns the decisions in the same order. A bad request raises
        nothing: its decision is a deny whose ``error_code`` says why (the
        code ``evaluate`` would raise). Tenant IDs are parsed once per
        distinct string, in `ids` or the module's shared cache."""
        return _evaluate_many(self._ptr(), requests, ids, False)

    @property
    def home_tenant(self) -> Optional[str]:
        """The tenant that owns the policy, or None if the document names none."""
        tid = _TenantId()
        return _format(tid) if _lib.tiso_policy_home_tenant(byref(tid), self._ptr()) else None

    @property
    def isolation_enabled(self) -> bool:
        """True when tenant isolation is on."""
        return bool(_lib.tiso_policy_isolation_enabled(self._ptr()))

    @property
    def evaluates_non_entra(self) -> bool:
        """True when the policy sets evaluateNonEntraConnectors."""
        return bool(_lib.tiso_policy_evaluates_non_entra(self._ptr()))

    @property
    def source(self) -> str:
        """Where the policy came from: a file's path, or ``<memory>``."""
        return _str(_lib.tiso_policy_source(self._ptr())) or ""

    @property
    def entries(self) -> list[PolicyEntry]:
        """The allowlist, in document order (read from the policy on each access)."""
        ptr, entry, out = self._ptr(), _PolicyEntry(), []
        for i in range(_lib.tiso_policy_entry_count(ptr)):
            if _lib.tiso_policy_entry_at(byref(entry), ptr, i) != _OK:
                raise _misuse(f"entry {i} vanished")  # cannot happen: a policy is immutable
            out.append(PolicyEntry("*" if entry.is_wildcard else _format(entry.tenant) or "",
                                   bool(entry.directions & _ALLOW_INBOUND),
                                   bool(entry.directions & _ALLOW_OUTBOUND),
                                   _str(entry.display_name), _str(entry.domain)))
        return out

    @property
    def warnings(self) -> list[PolicyWarning]:
        """What loading found suspicious (duplicates, unknown keys, ...)."""
        ptr, w, out = self._ptr(), _Warning(), []
        for i in range(_lib.tiso_policy_warning_count(ptr)):
            if _lib.tiso_policy_warning_at(byref(w), ptr, i) != _OK:
                raise _misuse(f"warning {i} vanished")
            out.append(PolicyWarning(_lib.tiso_warning_code_name(w.code).decode(),
                                     _str(w.path) or "", _str(w.message) or ""))
        return out

    @property
    def provenance(self) -> Provenance:
        """Source, load time and content hash, so a decision can name its policy."""
        p = _Provenance()
        status = _lib.tiso_policy_provenance(byref(p), self._ptr())
        if status != _OK:
            raise _error(status)
        return Provenance(_str(p.source) or "", int(p.loaded_at_ns), p.sha256_hex.decode(),
                          int(p.id))

    def to_json(self, pretty: bool = False) -> str:
        """The policy as a normalized admin-API document."""
        buf, size, err = c_void_p(), c_size_t(), _Error()
        status = _lib.tiso_policy_to_json(byref(buf), byref(size), self._ptr(), int(pretty),
                                          byref(err))
        if status != _OK:
            _raise(status, err)
        try:
            return ctypes.string_at(buf, size.value).decode()
        finally:
            _lib.tiso_free(buf)

    @property
    def closed(self) -> bool:
        """True once close() has run."""
        return self._handle.ptr is None

    def close(self) -> None:
        """Drops this object's reference now (a set holding the policy keeps its own)."""
        self._handle.close()

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "Policy(<closed>)"
        return (f"Policy(home_tenant={self.home_tenant!r}, "
                f"isolation_enabled={self.isolation_enabled}, source={self.source!r})")


# ---------------------------------------------------------------------------
# Policy sets


class PolicySet:
    """One policy per home tenant, for two-sided decisions (SPEC 3.1).

    A connection is allowed only if the creator's policy allows it outbound
    and the target's allows it inbound. ``replace`` and ``remove`` are atomic:
    a concurrent ``evaluate`` sees the set before or after, never a mix."""

    def __init__(self, policies: Iterable[Policy] = (), *, unknown_isolated: bool = False) -> None:
        """A set holding `policies`; `unknown_isolated` makes a tenant without
        a policy isolated with an empty allowlist instead of isolation off."""
        ptr, err = _PolicySetP(), _Error()
        flags = _SET_UNKNOWN_ISOLATED if unknown_isolated else 0
        status = _lib.tiso_policy_set_new(byref(ptr), flags, byref(err))
        if status != _OK:
            _raise(status, err)
        self._handle = _Handle(self, ptr, _lib.tiso_policy_set_free)
        try:
            for policy in policies:
                self.add(policy)
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_files(cls, paths: Iterable[PathLike], unknown_isolated: bool = False,
                   domains: Domains = None) -> "PolicySet":
        """Loads each policy file into a new set. Raises TenantIsoError for the
        first file that fails, naming it; ``conflict`` when two files give one
        home tenant a policy, whatever their order (SPEC 3.1)."""
        pset = cls(unknown_isolated=unknown_isolated)
        try:
            for path in paths:
                pset.load_file(path, domains)
        except BaseException:
            pset.close()
            raise
        return pset

    def _ptr(self) -> Any:
        return self._handle.get("policy set")

    def add(self, policy: Policy) -> None:
        """Adds `policy` for its home tenant, which must have none in the set
        yet: raises ``conflict`` otherwise (use :meth:`replace` to replace).
        The set keeps its own reference. Raises ``no_home_tenant`` for a
        policy without a home tenant."""
        err = _Error()
        status = _lib.tiso_policy_set_add(self._ptr(), policy._ptr(), byref(err))
        if status != _OK:
            _raise(status, err)

    def replace(self, policy: Policy) -> None:
        """Puts `policy` in the set for its home tenant, atomically replacing
        the tenant's previous policy. The set keeps its own reference, so
        `policy` may be closed afterwards. To keep the old policy when a new
        document is invalid, load first (Policy.from_file raises) and replace
        only on success. Raises ``no_home_tenant`` for a policy without one."""
        err = _Error()
        status = _lib.tiso_policy_set_put(self._ptr(), policy._ptr(), byref(err))
        if status != _OK:
            _raise(status, err)

    def load_file(self, path: PathLike, domains: Domains = None) -> None:
        """Loads the policy file at `path` into the set, as one call: added,
        or replacing the policy the same file gave earlier (a reload).

        The document is parsed and validated first: when it is invalid the
        set keeps the policy it had and TenantIsoError says why. A home
        tenant whose policy came from elsewhere raises ``conflict``."""
        with _LoadContext(domains) as ctx:
            err = _Error()
            status = _lib.tiso_policy_set_load_file(self._ptr(), os.fsencode(path),
                                                    byref(ctx.options), byref(err))
        if status != _OK:
            _raise(status, err)

    def remove(self, tenant: str) -> None:
        """Removes the policy of `tenant`, atomically. Raises ``not_found``."""
        tid, err = _TenantId(), _Error()
        _parse_into(tid, tenant, "tenant")
        status = _lib.tiso_policy_set_remove(self._ptr(), byref(tid), byref(err))
        if status != _OK:
            _raise(status, err)

    def get(self, tenant: str) -> Optional[Policy]:
        """The policy of `tenant` (a new reference), or None."""
        tid, ptr = _TenantId(), _PolicyP()
        _parse_into(tid, tenant, "tenant")
        status = _lib.tiso_policy_set_get(byref(ptr), self._ptr(), byref(tid))
        if status == _E_NOT_FOUND:
            return None
        if status != _OK:
            raise _error(status)
        return Policy(ptr)

    def evaluate(self, creator: str, target: str, direction: str = "auto",
                 connector: Optional[str] = None, auth: Optional[str] = None, *,
                 domains: Domains = None) -> Decision:
        """The two-sided decision; ``blocked_by`` names the side that denied.

        Both sides are always asked: ``direction`` is checked to be
        ``"auto"``, ``"inbound"`` or ``"outbound"`` and then changes nothing
        (SPEC 3.1: a request's direction cannot narrow a set's check).
        Arguments and errors as Policy.evaluate."""
        with _Resolving(domains) as resolver:
            req = _request(creator, target, direction, connector, auth, resolver)
        out = Decision()
        return _decided(_lib.tiso_policy_set_evaluate_request(byref(out), self._ptr(), byref(req)),
                        out)

    def evaluate_many(self, requests: Iterable[Any],
                      ids: Optional["TenantIdCache"] = None) -> list[Decision]:
        """The two-sided decisions of many requests in one call into the
        library; the whole batch sees one version of the set (a concurrent
        ``replace`` lands before or after it). Requests, results and errors
        as Policy.evaluate_many."""
        return _evaluate_many(self._ptr(), requests, ids, True)

    def __len__(self) -> int:
        return int(_lib.tiso_policy_set_count(self._ptr()))

    def __contains__(self, tenant: object) -> bool:
        """True if the set holds a policy for `tenant` (False for a non-ID)."""
        tid, ptr = _TenantId(), _PolicyP()
        if not isinstance(tenant, str) or _lib.tiso_tenant_id_parse(tid, *_sized(tenant)) != _OK:
            return False
        if _lib.tiso_policy_set_get(byref(ptr), self._ptr(), byref(tid)) != _OK:
            return False
        _lib.tiso_policy_free(ptr)
        return True

    @property
    def closed(self) -> bool:
        """True once close() has run."""
        return self._handle.ptr is None

    def close(self) -> None:
        """Frees the set and drops its references. No other thread may still
        be evaluating on it."""
        self._handle.close()

    def __enter__(self) -> "PolicySet":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "PolicySet(<closed>)" if self.closed else f"PolicySet({len(self)} policies)"


# ---------------------------------------------------------------------------
# Batches: many requests through one call (tiso_evaluate_batch,
# tiso_policy_set_decide_batch). A request is packed as the C struct's bytes
# (two 16-byte tenant IDs, then the direction, connector and auth kind), so a
# batch costs one copy and one foreign call. Errors are the library's, per
# request: what Python cannot pass (a non-str tenant, a bad direction or
# connector) goes in as a nil ID or an invalid enum value, and the library
# refuses that request alone; the code is then made the one evaluate() raises.
#
# The call decides in tens of nanoseconds per request, so the cost is the
# Python work around it, and the common batch runs no Python code per
# request: tuples of str are packed once (TenantIdCache) and copied by
# C-level builtins, and ctypes cuts the batch's array into the decisions.

_NIL = bytes(16)
_TAIL_OFFSET = _Request.direction.offset
_BAD_ENUM = 0x7fff  # no direction or auth kind has this value
_TUPLE, _STR = {tuple}, {str}


class TenantIdCache:
    """Tenant ID strings parsed once: text -> the 16 bytes the library takes
    (the nil ID for text that is not a tenant ID, which the library refuses);
    and requests given as tuples of str packed once, so a batch of them is
    put together without running Python code per request.

    ``evaluate_many`` uses the module's shared cache unless given one; a
    caller with its own working set may keep its own. Bounded: past
    `max_size` distinct strings (or request tuples) a table starts again
    empty. Safe to share between threads (each operation is one dict
    operation under the GIL). ``len()`` counts the strings."""

    __slots__ = ("_ids", "_requests", "max_size")

    def __init__(self, max_size: int = 1 << 17) -> None:
        self._ids: dict[str, bytes] = {}
        self._requests: dict[tuple[str, ...], bytes] = {}
        self.max_size = max_size

    def raw(self, text: Any) -> bytes:
        """The parsed form of `text`; the nil ID when it is not a tenant ID."""
        if type(text) is not str:  # a str subclass may compare differently: its characters
            if not isinstance(text, str):
                return _NIL
            text = str.__str__(text)
        raw = self._ids.get(text)
        if raw is None:
            tid = _TenantId()
            data, size = _sized(text)
            raw = bytes(tid) if _lib.tiso_tenant_id_parse(tid, data, size) == _OK else _NIL
            if len(self._ids) >= self.max_size:
                self._ids.clear()
            self._ids[text] = raw
        return raw

    def _pack(self, requests: list[Any]) -> tuple[Sequence[bytes], Optional["_Tails"]]:
        """Each of `requests` packed as a tiso_request struct, and what keeps
        their connector strings alive (None when they have none)."""
        # Only tuples of str, exactly those types, are looked up without a
        # Python loop: hashing and comparing them runs no Python code, so the
        # look-up finds the very request (same strings, same length) or
        # fails. Any other request misses: the table holds none of its shape.
        if (set(map(type, requests)) == _TUPLE
                and set(map(type, chain.from_iterable(requests))) == _STR):
            try:  # one C call looks them all up, into a tuple (the value itself for one)
                found = itemgetter(*requests)(self._requests)
                return (found if len(requests) > 1 else (found,)), None
            except KeyError:  # one not seen yet: packed below, and kept
                pass
        tails = _Tails()
        return [self._packed(request, tails) for request in requests], tails

    def _packed(self, request: Any, tails: "_Tails") -> bytes:
        """One request packed; a tuple of two or three str is also kept (its
        bytes hold no pointer: it has no connector)."""
        if type(request) is tuple and 2 <= len(request) <= 3 and set(map(type, request)) == _STR:
            packed = self._requests.get(request)
            if packed is None:
                direction = request[2] if len(request) == 3 else "auto"
                packed = self.raw(request[0]) + self.raw(request[1]) + tails.get(direction, None,
                                                                                  None)
                if len(self._requests) >= self.max_size:
                    self._requests.clear()
                self._requests[request] = packed
            return packed
        creator, target, direction, connector, auth = _fields(request)
        return self.raw(creator) + self.raw(target) + tails.get(direction, connector, auth)

    def __len__(self) -> int:
        return len(self._ids)


_SHARED_IDS = TenantIdCache()


class _Tails:
    """The bytes after the two IDs (direction, connector, auth) per distinct
    request shape, and the C strings they point at, alive for one batch."""

    __slots__ = ("_tails", "_keep")

    def __init__(self) -> None:
        self._tails: dict[Any, bytes] = {}
        self._keep: list[_Request] = []

    def get(self, direction: Any, connector: Any, auth: Any) -> bytes:
        try:
            key: Any = (direction, connector, auth)
            tail = self._tails.get(key)
        except TypeError:  # an unhashable value, which is never valid anyway
            key, tail = None, None
        if tail is None:
            tail = self._make(direction, connector, auth)
            if key is not None:
                self._tails[key] = tail
        return tail

    def _make(self, direction: Any, connector: Any, auth: Any) -> bytes:
        req = _Request()
        code = _DIRECTIONS.get(direction.lower()) if isinstance(direction, str) else None
        req.direction = _BAD_ENUM if code is None else code
        req.auth = _AUTH_KINDS.get(auth, _BAD_ENUM) if auth is None or isinstance(auth, str) \
            else _BAD_ENUM
        if connector is not None:
            if isinstance(connector, str) and "\0" not in connector:
                req.connector = connector.encode("utf-8", "surrogateescape")
            else:
                req.auth = _BAD_ENUM
        self._keep.append(req)  # keeps the connector's bytes alive for the call
        return bytes(req)[_TAIL_OFFSET:]


def _fields(request: Any) -> tuple[Any, Any, Any, Any, Any]:
    """(creator, target, direction, connector, auth) of one request; a
    request of no known shape has no tenants (misuse)."""
    if isinstance(request, tuple) and len(request) in (2, 3):
        return request[0], request[1], request[2] if len(request) == 3 else "auto", None, None
    if isinstance(request, Mapping):
        return (request.get("creator"), request.get("target"), request.get("direction", "auto"),
                request.get("connector"), request.get("auth"))
    return None, None, None, None, None


class _FailedDecision(Decision):
    """A fail-closed deny of evaluate_many, with the error that made it."""
    __slots__ = ("error_code", "error_message")

    @classmethod
    def of(cls, decision: Decision, code: str, message: str) -> "_FailedDecision":
        """A copy of `decision` (the library's deny) carrying the error."""
        made = cls.from_buffer_copy(decision)
        object.__setattr__(made, "error_code", code)  # Decision's own __setattr__ refuses
        object.__setattr__(made, "error_message", message)
        return made

    def __repr__(self) -> str:
        return f"Decision(verdict='deny', error_code={self.error_code!r})"


def _unpickle_decision(data: bytes, code: Optional[str], message: Optional[str]) -> Decision:
    decision = Decision.from_buffer_copy(data)
    return decision if code is None else _FailedDecision.of(decision, code, message or "")


def _name_status(name: str) -> int:
    """The status evaluate() fails with for `name` without a domain map
    (the library's one classifier), or _OK for a tenant ID."""
    if "\0" in name:
        return _E_INVALID_ARGUMENT
    return _lib.tiso_resolver_resolve(_TenantId(), None, name.encode("utf-8", "surrogateescape"),
                                      byref(_Error()))


def _request_status(request: Any, status: int) -> int:
    """The status evaluate() raises for a request the batch refused with
    `status`: misuse for a tenant that is no str, else the classifier's
    status for a name that is no tenant ID (creator first), else `status`."""
    creator, target = _fields(request)[:2]
    if not (isinstance(creator, str) and isinstance(target, str)):
        return _E_INVALID_ARGUMENT
    return _name_status(creator) or _name_status(target) or status


# Each thread's buffer of packed requests, written again by each of its
# batches: a new buffer for every batch costs more (page faults when the
# allocator gives megabytes back and takes them again) than the copy into it.
# One of more than _KEEP_BYTES is not kept.
_BUFFERS = threading.local()
_KEEP_BYTES = 1 << 23


def _array(ctype: Any, n: int) -> Any:
    """A zeroed array of at least `n` `ctype`s. ctypes keeps every array type
    it makes for good, so lengths are rounded up to one of 8 per power of
    two (at most 1/8 spare): a long-running caller makes few types."""
    shift = max(0, n.bit_length() - 4)
    return (ctype * ((((n - 1) >> shift) + 1) << shift))()


def _cut(out: Any, n: int, step: int) -> list[Decision]:
    """The first `n` of every `step`-th decision of the batch's array, as
    Decision objects that share its memory, made in one C loop by ctypes.

    The garbage collector is paused meanwhile: each new object would count
    towards a collection, and tens of thousands of them set off several that
    scan them, still all alive, and the rest of the program with them; this
    would cost more than the whole batch. Nothing can become garbage in the
    loop, and the collector is turned on again at once if it was on (so a
    gc.disable() another thread makes in those microseconds is undone: a
    program that wants no collector turns it off before it evaluates)."""
    if not gc.isenabled():
        return out[0:n * step:step]
    gc.disable()
    try:
        return out[0:n * step:step]
    finally:
        gc.enable()


def _evaluate_many(ptr: Any, requests: Iterable[Any], ids: Optional[TenantIdCache],
                   two_sided: bool) -> list[Decision]:
    cache = ids if ids is not None else _SHARED_IDS
    requests = list(requests)  # this call's own: no other thread changes it between the passes
    n = len(requests)
    if n == 0:
        return []
    parts, tails = cache._pack(requests)
    statuses = _array(c_int, n)
    step = 3 if two_sided else 1  # tiso_set_decision is three decisions: the connection's first
    out = _array(Decision, step * n)
    batch = _lib.tiso_policy_set_decide_batch if two_sided else _lib.tiso_evaluate_batch
    buf = getattr(_BUFFERS, "io", None) or io.BytesIO()
    _BUFFERS.io = None  # this call's alone: a nested call on this thread makes its own
    buf.seek(0)
    buf.writelines(parts)  # one C loop copies the structs in
    view = buf.getbuffer()
    head = c_char.from_buffer(view)
    try:
        status = batch(out, statuses, ptr, byref(head), n)
    finally:
        del head, view  # the buffer may grow again
    if buf.tell() <= _KEEP_BYTES:
        _BUFFERS.io = buf
    del tails  # the connector strings were needed for the call only
    if status != _OK:
        raise _error(status)
    decisions = _cut(out, n, step)
    raw = ctypes.string_at(statuses, n * ctypes.sizeof(c_int))  # one copy, no object per item
    if raw.count(0) != len(raw):
        for i, st in enumerate(struct.unpack(f"{n}i", raw)):
            if st != _OK:
                st = _request_status(requests[i], st)
                decisions[i] = _FailedDecision.of(decisions[i], _lib.tiso_status_name(st).decode(),
                                                  _lib.tiso_strerror(st).decode())
    return decisions
