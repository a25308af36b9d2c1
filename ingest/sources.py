"""The sites akhbar follows: `Source` values read from (and appended to) a user-edited sources.toml.

The file holds one table per site under `sources`, keyed by a short name; an optional `[defaults]`
table sets `delay`, `user_agent`, `language` and `date_locale` for sites that do not set their own:

    [defaults]
    delay = 2.0

    [sources.alhal]
    base_url = "https://7al.net/"
    feeds = ["https://7al.net/feed/"]
    sitemaps = ["https://7al.net/sitemap_index.xml"]
    sections = ["https://7al.net/category/news/"]
    allow = ['^https://7al\\.net/\\d{4}/\\d{2}/\\d{2}/']
    deny = ['/tag/', '/author/']
    language = "ar"
    date_locale = "ar-SY"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
import tomlkit

from ingest.urls import url_problem
from ingest.zones import date_locale_problem

DEFAULT_DELAY = 1.0
DEFAULT_LANGUAGE = "ar"
SOURCE_NAME = re.compile(r"^[\w][\w.\-]*$")
URL_LIST_KEYS = ("feeds", "sitemaps", "sections")
PATTERN_KEYS = ("allow", "deny")
DEFAULTABLE_KEYS = ("delay", "user_agent", "language", "date_locale")
SOURCE_KEYS = frozenset({"base_url", *URL_LIST_KEYS, *PATTERN_KEYS, *DEFAULTABLE_KEYS})


class SourcesError(Exception):
    """sources.toml cannot be used; the message names the file and the problem, on one line."""


@dataclass(frozen=True, slots=True)
class Source:
    """One followed site. `allow`/`deny` are regular expressions searched in candidate URLs;
    `delay` is seconds between requests to the site; `user_agent` None means akhbar's own."""

    name: str
    base_url: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    language: str = DEFAULT_LANGUAGE
    delay: float = DEFAULT_DELAY
    user_agent: str | None = None
    date_locale: str | None = None
    _compiled: dict[str, tuple[re.Pattern[str], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    def is_same_site(self, url: str) -> bool:
        """True for the base host and its subdomains; `www.` on either side does not matter."""
        host = _without_www((urlsplit(url).hostname or "").lower())
        home = _without_www(self.host)
        return host == home or host.endswith("." + home)

    def permits(self, url: str) -> bool:
        """An http(s) URL on this site that the allow patterns (when given) and deny patterns let through."""
        if url_problem(url) or not self.is_same_site(url):
            return False
        if any(p.search(url) for p in self._patterns("deny")):
            return False
        allow = self._patterns("allow")
        return not allow or any(p.search(url) for p in allow)

    def _patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        # Compiled once per Source; the dict is the one mutable part of a frozen value.
        if key not in self._compiled:
            self._compiled[key] = tuple(re.compile(p) for p in getattr(self, key))
        return self._compiled[key]

    def to_toml_table(self) -> dict[str, Any]:
        """The entry as written to sources.toml (empty lists and unset options left out)."""
        table: dict[str, Any] = {"base_url": self.base_url}
        for key in (*URL_LIST_KEYS, *PATTERN_KEYS):
            if getattr(self, key):
                table[key] = list(getattr(self, key))
        table["language"] = self.language
        table["delay"] = self.delay
        for key in ("user_agent", "date_locale"):
            if getattr(self, key) is not None:
                table[key] = getattr(self, key)
        return table


def source_name_problem(name: str) -> str | None:
    if not SOURCE_NAME.match(name):
        return "a source name is letters, digits, '.', '-' or '_' (no spaces)"
    return None


def default_source_name(base_url: str) -> str:
    """The host without `www.`: a name users recognise, and unique per site."""
    return _without_www((urlsplit(base_url).hostname or "site").lower())


def _without_www(host: str) -> str:
    return host.removeprefix("www.")


def default_sources_path() -> Path:
    return platformdirs.user_config_path("akhbar") / "sources.toml"


def resolve_sources_path(option: str | None) -> Path:
    """The file named by --sources / AKHBAR_SOURCES, else sources.toml in the user config dir."""
    return Path(option).expanduser() if option else default_sources_path()


@dataclass(frozen=True, slots=True)
class SourcesFile:
    """sources.toml as a whole: its sources, and the [defaults] delay and User-Agent that a URL of
    no source is fetched with (`user_agent` None means akhbar's own)."""

    sources: tuple[Source, ...] = ()
    delay: float = DEFAULT_DELAY
    user_agent: str | None = None

    def source_of(self, url: str) -> Source | None:
        """The source whose site `url` is on (`Source.is_same_site`, as crawl keeps a source's
        links); when a site and one of its subdomains are both followed, the subdomain's."""
        owners = [source for source in self.sources if source.is_same_site(url)]
        return max(owners, key=lambda source: len(_without_www(source.host)), default=None)


def load_sources(path: Path, *, missing_ok: bool = False) -> list[Source]:
    """Every source in `path`, validated; raises SourcesError naming the file and the first problem."""
    return list(load_sources_file(path, missing_ok=missing_ok).sources)


def load_sources_file(path: Path, *, missing_ok: bool = False) -> SourcesFile:
    """The sources and [defaults] of `path`, validated; raises SourcesError naming the file and the
    first problem. A missing file with `missing_ok` is one without sources or defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return SourcesFile()
        raise SourcesError(
            f"{path}: no such sources file (create one with `akhbar sources add URL`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    try:
        sources = parse_sources(document)
        defaults = _defaultable(document.get("defaults", {}), "[defaults]")
    except ValueError as exc:
        raise SourcesError(f"{path}: {exc}") from None
    return SourcesFile(tuple(sources), delay=defaults["delay"], user_agent=defaults["user_agent"])


def parse_sources(document: Mapping[str, Any]) -> list[Source]:
    """Sources from a parsed TOML document; a ValueError says which entry and key is wrong."""
    unknown = set(document) - {"defaults", "sources"}
    if unknown:
        raise ValueError(
            f"unknown top-level key {sorted(unknown)[0]!r} (expected [defaults] and [sources.NAME])"
        )
    defaults = document.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ValueError("[defaults] must be a table")
    bad_default = set(defaults) - set(DEFAULTABLE_KEYS)
    if bad_default:
        raise ValueError(f"[defaults]: unknown key {sorted(bad_default)[0]!r}")
    entries = document.get("sources", {})
    if not isinstance(entries, dict):
        raise ValueError("`sources` must be tables, one per site: [sources.NAME]")
    sources = [_parse_entry(name, entry, defaults) for name, entry in entries.items()]
    _check_unique_base_urls(sources)
    return sources


def _parse_entry(name: str, entry: object, defaults: Mapping[str, Any]) -> Source:
    where = f"[sources.{name}]"
    if source_name_problem(name):
        raise ValueError(f"{where}: {source_name_problem(name)}")
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be a table")
    unknown = set(entry) - SOURCE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    merged = {**defaults, **entry}
    if "base_url" not in merged:
        raise ValueError(f"{where}: base_url is missing")
    base_url = _url(merged["base_url"], f"{where} base_url")
    urls = {
        key: tuple(_url(u, f"{where} {key}") for u in _strings(merged.get(key, []), where, key))
        for key in URL_LIST_KEYS
    }
    patterns = {
        key: tuple(_pattern(p, f"{where} {key}") for p in _strings(merged.get(key, []), where, key))
        for key in PATTERN_KEYS
    }
    return Source(name=name, base_url=base_url, **urls, **patterns, **_defaultable(merged, where))


def _defaultable(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The settings [defaults] may give (DEFAULTABLE_KEYS), validated, built-in values filled in."""
    delay = table.get("delay", DEFAULT_DELAY)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        raise ValueError(f"{where}: delay must be a number of seconds >= 0, not {delay!r}")
    optional = {key: _optional_string(table.get(key), where, key) for key in ("user_agent", "date_locale")}
    locale_problem = optional["date_locale"] and date_locale_problem(optional["date_locale"])
    if locale_problem:
        raise ValueError(f"{where}: {locale_problem}")
    language = _optional_string(table.get("language", DEFAULT_LANGUAGE), where, "language")
    return {"language": language or DEFAULT_LANGUAGE, "delay": float(delay), **optional}


def _strings(value: object, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key} must be a list of strings")
    return value


def _optional_string(value: object, where: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _url(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a URL string")
    problem = url_problem(value)
    if problem:
        raise ValueError(f"{where}: {value!r}: {problem}")
    return value


def _pattern(value: str, where: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{where}: bad regular expression {value!r}: {exc}") from None
    return value


def _check_unique_base_urls(sources: Iterable[Source]) -> None:
    seen: dict[str, str] = {}
    for source in sources:
        key = source.base_url.rstrip("/").lower()
        if key in seen:
            raise ValueError(f"[sources.{source.name}]: same base_url as [sources.{seen[key]}]")
        seen[key] = source.name


def add_source(path: Path, source: Source) -> None:
    """Append `source` to the file, keeping the user's comments and layout; refuses duplicates.

    Settings the file's [defaults] table covers are left out of the entry where the source only
    has the built-in value, so the user's defaults keep applying to it.
    """
    existing = load_sources(path, missing_ok=True)
    for other in existing:
        if other.name == source.name:
            raise SourcesError(
                f"{path}: a source named {source.name!r} already exists (choose another --name)"
            )
        if other.base_url.rstrip("/").lower() == source.base_url.rstrip("/").lower():
            raise SourcesError(f"{path}: {source.base_url} is already configured as {other.name!r}")
    # tomlkit rather than tomli-w: the file is edited by hand, and rewriting it must not drop comments.
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    defaults = document.get("defaults", {})
    built_in = {"delay": DEFAULT_DELAY, "language": DEFAULT_LANGUAGE}
    omit = {key for key in defaults if getattr(source, key) == built_in.get(key)}
    if "sources" not in document:
        document.add("sources", tomlkit.table(is_super_table=True))
    document["sources"][source.name] = source_as_toml_table(source, omit=omit)  # type: ignore[index]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot write: {exc.strerror or exc}") from None


def source_as_toml_table(source: Source, *, omit: Iterable[str] = ()) -> tomlkit.items.Table:
    table = tomlkit.table()
    for key, value in source.to_toml_table().items():
        if key in omit:
            continue
        if isinstance(value, list):
            array = tomlkit.array()
            array.multiline(len(value) > 1)
            array.extend(value)
            table.add(key, array)
        else:
            table.add(key, value)
    return table


def source_as_toml(source: Source) -> str:
    """The entry as it would appear in sources.toml, for showing the user before or after writing."""
    document = tomlkit.document()
    document.add("sources", tomlkit.table(is_super_table=True))
    document["sources"][source.name] = source_as_toml_table(source)  # type: ignore[index]
    return tomlkit.dumps(document)


def sources_named(sources: Sequence[Source], names: Iterable[str]) -> tuple[list[Source], list[str]]:
    """The sources with these names, and the names that match none."""
    wanted = list(dict.fromkeys(names))
    by_name: Mapping[str, Source] = {source.name: source for source in sources}
    return [by_name[n] for n in wanted if n in by_name], [n for n in wanted if n not in by_name]
