"""`serve`: the same app in a browser, one app process per tab (textual-serve).

textual-serve runs a shell command for each browser tab that connects and relays the app's
screen and keys over a websocket. Anyone who reaches the port drives an app that can open
the session history, so the server listens on the loopback address unless told otherwise,
and then only answers requests that carry a random token (printed on start).
"""

from __future__ import annotations

import errno
import hmac
import ipaddress
import secrets
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from interview_sim import locations
from interview_sim.cli.errors import CliError
from interview_sim.cli.parser import build_parser, parse_args
from interview_sim.cli.sessions import checked_start

if TYPE_CHECKING:
    from argparse import Namespace

    from aiohttp import web

TOKEN_PARAM = "token"
TOKEN_COOKIE = "interview-sim-token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class ServePlan:
    """What the server does, decided from the flags before anything listens."""

    host: str
    port: int
    token: str | None
    command: str  # the shell command each tab runs
    url: str  # what to open


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plan(args: Namespace, token: str | None = None) -> ServePlan:
    """Check the flags (the start flags as `start` itself would) and build the child command;
    `token` is the one to use if one is needed (tests), else a new random one."""
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be from 1 to 65535, got {args.port}")
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        raise CliError(
            f"--host {args.host} is reachable from other machines, and anyone who reaches it "
            "can read your session history; add --allow-remote if that is what you want"
        )
    sessions = locations.sessions_dir(args.sessions_dir).resolve()
    child = ["start", "--sessions-dir", str(sessions)]
    for bank in args.banks:
        child += ["--banks", str(Path(bank).resolve())]
    child += args.start_flags
    checked_start(parse_args(build_parser(), child))  # a mistake is reported here, not per tab
    command = "exec " + shlex.join([sys.executable, "-m", "interview_sim", *child])
    token = (token or secrets.token_urlsafe(16)) if remote or args.token else None
    shown = args.host
    if remote and _is_wildcard(args.host):
        import socket

        shown = socket.gethostname()
    if ":" in shown:
        shown = f"[{shown}]"
    url = f"http://{shown}:{args.port}/" + (f"?{TOKEN_PARAM}={token}" if token else "")
    return ServePlan(args.host, args.port, token, command, url)


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _host_name(netloc: str) -> str:
    """The host part of a Host header or an Origin's netloc, without the port."""
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def access_guard(token: str | None, loopback: bool) -> Any:
    """An aiohttp middleware that refuses, with 403:
    - on the loopback address, a Host header naming another machine (a web page that had its
      own name resolve to 127.0.0.1, "DNS rebinding", would otherwise read the app);
    - a websocket opened by a page from another site (browsers let any page open one);
    - with a token, a request carrying it neither in the URL nor in the cookie set from it."""
    from aiohttp import web

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if loopback and not is_loopback(_host_name(request.host)):
            raise web.HTTPForbidden(text="interview-sim serves this machine only.\n")
        if request.headers.get("Upgrade", "").lower() == "websocket":
            origin = request.headers.get("Origin", "")
            if urlsplit(origin).netloc.lower() != request.host.lower():
                raise web.HTTPForbidden(text="websocket from another site refused.\n")
        if token is None:
            passed: web.StreamResponse = await handler(request)
            return passed
        given = request.query.get(TOKEN_PARAM)
        from_url = given is not None and hmac.compare_digest(given, token)
        cookie = request.cookies.get(TOKEN_COOKIE, "")
        if not from_url and not hmac.compare_digest(cookie, token):
            raise web.HTTPForbidden(
                text="This server needs its access token: open the URL it printed on start.\n"
            )
        response: web.StreamResponse = await handler(request)
        if from_url and not response.prepared:  # the page's scripts and websocket use it
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        return response

    return guard


def make_server(serve_plan: ServePlan) -> Any:
    """textual-serve's Server, with the guard, URLs that follow the address the browser used,
    our own start-up message, and open tabs told to quit (keeping drafts) on shutdown."""
    from textual_serve.server import Server

    class InterviewServer(Server):
        def __init__(self) -> None:
            super().__init__(
                serve_plan.command,
                host=serve_plan.host,
                port=serve_plan.port,
                title="interview-sim",
            )
            self.sockets: set[web.WebSocketResponse] = set()

        def initialize_logging(self) -> None:
            import logging

            logging.basicConfig(level=logging.WARNING, format="interview-sim serve: %(message)s")

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(access_guard(serve_plan.token, is_loopback(serve_plan.host)))
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page's script and websocket URLs are absolute: built from the address the
            # browser used (the guard has checked it), not from the address listened on.
            self.public_url = f"{request.scheme}://{request.host}"
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def _process_messages(self, websocket: web.WebSocketResponse, service: Any) -> None:
            self.sockets.add(websocket)
            try:
                await super()._process_messages(websocket, service)
            finally:
                self.sockets.discard(websocket)

        async def on_startup(self, app: web.Application) -> None:
            print(f"interview-sim: serving on {serve_plan.url}", flush=True)
            if not is_loopback(serve_plan.host):
                print(
                    "interview-sim: warning: anyone who can reach this port and has the URL "
                    "above can read your session history",
                    flush=True,
                )
            print("interview-sim: press ctrl+c to stop (open answers are kept as drafts)")

        async def on_shutdown(self, app: web.Application) -> None:
            # Closing a tab's websocket tells its app to quit, which keeps the draft.
            for websocket in list(self.sockets):
                await websocket.close()

    return InterviewServer()


def cmd_serve(args: Namespace) -> int:
    if args.start_flags and args.start_flags[0] == "--":
        args.start_flags = args.start_flags[1:]
    serve_plan = plan(args)
    _check_can_listen(serve_plan.host, serve_plan.port)  # before "serving on" is printed
    server = make_server(serve_plan)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and now
        raise CliError(
            f"cannot listen on {serve_plan.host} port {serve_plan.port}: {exc}"
        ) from None
    print("interview-sim: stopped")
    return 0


def _check_can_listen(host: str, port: int) -> None:
    """Bind the address once, as the server will: the server prints its start-up message
    before it binds, so a port in use would otherwise be announced as served."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in infos:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(f"port {port} is in use; try another --port") from None
        raise CliError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
