#!/usr/bin/env python3
"""Flowbench python worker: runs promptflow `@tool` functions unchanged, one call at a time.

Protocol (spoken by fb::PythonRunner, core/exec/pythonrunner.cpp):
  * started as `python3 flowbench_worker.py --response-fd N` with the `promptflow` shim folder
    first on PYTHONPATH;
  * reads one JSON request per line on stdin:
      {"file", "inputs", "literal_inputs", "aggregation", "cwd", "env", "connections"}
    (stdin is then re-pointed at /dev/null so a tool that reads input() cannot eat requests);
  * writes one JSON line on fd N when ready ({"ready": true, "python": "3.x.y"}), then one
    response per request:
      {"ok": true, "output": ..., "metrics": {...}, "log": "..."}
      {"ok": false, "error": {"type", "message", "location", "traceback"}, "log": "..."}
  * whatever the tool prints to sys.stdout / sys.stderr during a call is returned as "log";
    fd 1 and fd 2 themselves go to a pipe the runner drains.
The worker exits at end of input. It is a private helper of Flowbench, not part of promptflow.
"""

import asyncio
import base64
import dataclasses
import enum
import faulthandler
import importlib
import importlib.util
import inspect
import io
import json
import math
import os
import re
import signal
import sys
import traceback
import types
import typing

import promptflow._flowbench as runtime
from promptflow.connections import _Connection, CustomStrongTypeConnection, _class_for_type
from promptflow.connections import CustomConnection
from promptflow.contracts.multimedia import Image


class ToolError(Exception):
    """A failure the worker itself reports (bad tool file, bad input), not the tool's exception."""

    def __init__(self, message, type_name="ToolError", location=""):
        super().__init__(message)
        self.type_name = type_name
        self.location = location


# --- output capture ---------------------------------------------------------------------------

class _ByteSink:
    """`sys.stdout.buffer` stand-in: decodes bytes into the owning capture stream."""

    def __init__(self, owner):
        self._owner = owner

    def write(self, data):
        self._owner.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        pass


class _CallLog:
    """Text a call printed, kept up to a limit so a chatty tool cannot exhaust memory."""

    LIMIT = 1 << 20

    def __init__(self):
        self.pieces = []
        self.size = 0
        self.truncated = False

    def append(self, text):
        if self.size >= self.LIMIT:
            self.truncated = True
            return
        if self.size + len(text) > self.LIMIT:
            text = text[:self.LIMIT - self.size]
            self.truncated = True
        self.pieces.append(text)
        self.size += len(text)

    def text(self):
        return "".join(self.pieces)


class _CaptureStream(io.TextIOBase):
    """Replaces sys.stdout/sys.stderr for good: text goes to the running call's log buffer,
    or to the real fd between calls (handlers bound at import keep working across calls)."""

    def __init__(self, fd):
        super().__init__()
        self._fd = fd
        self.target = None  # the current call's _CallLog
        self.buffer = _ByteSink(self)

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if self.target is not None:
            self.target.append(text)
        else:
            _write_all(self._fd, text.encode("utf-8", "replace"))
        return len(text)

    def flush(self):
        pass


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --- module loading ---------------------------------------------------------------------------

_module_cache = {}  # absolute path -> ((mtime_ns, size), module)
_last_flow_dir = None


def _module_name(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"\W", "_", stem)
    return name if name and not name[0].isdigit() else "_" + name


def _forget_modules_under(folder):
    """Drops modules imported from another flow folder so that same-named helpers
    (utils.py, ...) of the next flow are imported afresh."""
    prefix = os.path.join(folder, "")
    own = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
    if own.startswith(prefix) or os.path.join(sys.base_prefix, "").startswith(prefix):
        return  # a folder holding this shim or the interpreter: nothing safe to drop
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if not origin:
            continue
        origin = os.path.abspath(origin)
        if origin.startswith(prefix) and not origin.startswith(own):
            del sys.modules[name]


def _load_module(path):
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _module_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    importlib.invalidate_caches()
    name = _module_name(path)
    existing = sys.modules.get(name)
    existing_file = getattr(existing, "__file__", None) if existing is not None else None
    if existing is not None and (not existing_file or os.path.abspath(existing_file) != path):
        # A tool named like a module already loaded (json.py, test.py, another flow's tool)
        # must not replace it for everyone else.
        name = "_flowbench_tool_%d_%s" % (len(_module_cache), name)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ToolError("%s: cannot be loaded as a python module" % path, "ImportError", path)
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
        raise
    _module_cache[path] = (key, module)
    return module


def _find_tool(module, path):
    found = []
    for value in vars(module).values():
        if not callable(value) or not getattr(value, runtime.TOOL_MARK, False):
            continue
        if getattr(value, "__module__", None) != module.__name__:
            continue  # a tool imported from another file
        if inspect.isclass(value):
            raise ToolError("%s: class-based tools (%s) are not supported by Flowbench; "
                            "use a @tool function" % (path, value.__name__),
                            "NotImplementedError", path)
        if all(value is not f for f in found):
            found.append(value)
    if not found:
        raise ToolError("%s: no @tool function found; decorate one function with @tool "
                        "(from promptflow import tool)" % path, "ToolNotFound", path)
    if len(found) > 1:
        names = ", ".join(f.__name__ for f in found)
        raise ToolError("%s: several @tool functions (%s); promptflow expects exactly one per "
                        "file" % (path, names), "ToolNotFound", path)
    return found[0]


# --- inputs -----------------------------------------------------------------------------------

def _type_hints(func):
    try:
        return typing.get_type_hints(func)
    except Exception:
        hints = {}
        for name, hint in getattr(func, "__annotations__", {}).items():
            if isinstance(hint, str):
                try:
                    hint = eval(hint, getattr(func, "__globals__", {}))  # noqa: S307
                except Exception:
                    continue
            hints[name] = hint
        return hints


def _resolve_annotation(hint):
    """Optional[X] -> X; Union[A, B] -> [A, B]; anything else unchanged (as promptflow does)."""
    if typing.get_origin(hint) is typing.Union or isinstance(hint, getattr(types, "UnionType",
                                                                             ())):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else args
    return hint


def _is_connection_class(value):
    return inspect.isclass(value) and issubclass(value, _Connection)


def _value_type(param, hint):
    """promptflow's value type of a parameter: int, double, bool, string, list, image,
    connection or object."""
    value_type = _resolve_annotation(hint) if hint is not None else inspect.Parameter.empty
    if value_type is inspect.Parameter.empty and param.default is not inspect.Parameter.empty:
        value_type = type(param.default)
    if isinstance(value_type, enum.EnumMeta):
        value_type = str
    if isinstance(value_type, list):
        if value_type and all(_is_connection_class(t) for t in value_type):
            return "connection"
        return "object"
    if _is_connection_class(value_type):
        return "connection"
    return {int: "int", float: "double", bool: "bool", str: "string", list: "list",
            Image: "image"}.get(value_type, "object")


_IMAGE_KEY = re.compile(r"^data:(image/[^;]+);(base64|path|url)$")


def _to_image(value, cwd):
    if isinstance(value, Image):
        return value
    if isinstance(value, str) and value.startswith("data:image/") and ";base64," in value:
        header, payload = value.split(",", 1)
        return Image(base64.b64decode(payload), header[5:].split(";")[0])
    if isinstance(value, dict) and len(value) == 1:
        key, payload = next(iter(value.items()))
        match = _IMAGE_KEY.match(key)
        if match:
            mime, kind = match.groups()
            if kind == "base64":
                return Image(base64.b64decode(payload), mime)
            if kind == "path":
                full = payload if os.path.isabs(payload) else os.path.join(cwd, payload)
                with open(full, "rb") as handle:
                    return Image(handle.read(), mime, full)
            raise ValueError("image URLs are not fetched by Flowbench: %s" % payload)
    raise ValueError("not an image value")


def _parse_literal(value_type, value, cwd):
    if value_type == "int":
        return int(value)
    if value_type == "double":
        return float(value)
    if value_type == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError("invalid boolean value %r" % (value,))
    if value_type == "string":
        return value if isinstance(value, str) else str(value)
    if value_type == "list":
        if isinstance(value, str):
            value = json.loads(value)
        if not isinstance(value, list):
            raise ValueError("invalid list value %r" % (value,))
        return value
    if value_type == "object" and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value  # it really is a string
    if value_type == "image":
        return _to_image(value, cwd)
    return value


def _connection_classes(hint):
    resolved = _resolve_annotation(hint) if hint is not None else None
    candidates = resolved if isinstance(resolved, list) else [resolved]
    return [c for c in candidates if _is_connection_class(c)]


def _build_connection(param_name, spec, hint):
    if not isinstance(spec, dict):
        raise ToolError("connection for input %r must be an object" % param_name, "InputError")
    type_name = spec.get("type", "")
    configs = spec.get("configs") or {}
    secrets = spec.get("secrets") or {}
    name = spec.get("name")
    allowed = _connection_classes(hint)
    cls = _class_for_type(type_name)
    if allowed:
        chosen = None
        for candidate in allowed:
            if cls is not None and issubclass(cls, candidate):
                chosen = cls
                break
            if issubclass(candidate, CustomStrongTypeConnection) and cls is CustomConnection:
                chosen = candidate
                break
        if chosen is None and cls is None and len(allowed) == 1:
            chosen = allowed[0]
        if chosen is None:
            expected = " or ".join(c.__name__ for c in allowed)
            raise ToolError("input %r expects %s, but connection %r is of type %r"
                            % (param_name, expected, name, type_name), "InputError")
        cls = chosen
    elif cls is None:
        cls = CustomConnection
    return cls._flowbench_build(name, configs, secrets)


def _build_kwargs(func, request, cwd):
    signature = inspect.signature(func)
    hints = _type_hints(func)
    params = signature.parameters
    accepts_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    inputs = dict(request.get("inputs") or {})
    literals = set(request.get("literal_inputs") or [])
    connections = request.get("connections") or {}

    kwargs = {}
    for key, value in inputs.items():
        param = params.get(key)
        if key in literals:
            if value is None or value == "":
                continue  # promptflow drops empty literals: the parameter default applies
            if param is not None and param.kind not in (inspect.Parameter.VAR_KEYWORD,
                                                        inspect.Parameter.VAR_POSITIONAL):
                value_type = _value_type(param, hints.get(key))
                if value_type != "connection":
                    try:
                        value = _parse_literal(value_type, value, cwd)
                    except Exception as error:
                        raise ToolError("input %r of value %r is not type %s (%s)"
                                        % (key, value, value_type, error), "InputTypeError")
        elif param is not None and _value_type(param, hints.get(key)) == "image" \
                and value is not None:
            try:
                value = _to_image(value, cwd)
            except Exception as error:
                raise ToolError("input %r: cannot load image: %s" % (key, error), "InputError")
        kwargs[key] = value
    for key, spec in connections.items():
        # As in promptflow, a connection name becomes a connection object only for a
        # parameter annotated with a connection class; elsewhere it stays the plain string.
        param = params.get(key)
        annotated = param is not None and _value_type(param, hints.get(key)) == "connection"
        if annotated or key not in kwargs:
            kwargs[key] = _build_connection(key, spec, hints.get(key))

    for key in literals:
        param = params.get(key)
        if key in kwargs and key not in connections and param is not None \
                and isinstance(kwargs[key], str) \
                and _value_type(param, hints.get(key)) == "connection":
            raise ToolError("connection %r for input %r not found" % (kwargs[key], key),
                            "ConnectionNotFound")

    unknown = [k for k in kwargs if k not in params or params[k].kind in (
        inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)]
    if unknown and not accepts_kwargs:
        raise ToolError("tool function %s() has no parameter %s" % (
            func.__name__, ", ".join(repr(k) for k in unknown)), "InputError")
    missing = [name for name, p in params.items()
               if p.default is inspect.Parameter.empty and name not in kwargs
               and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                              inspect.Parameter.KEYWORD_ONLY)]
    if missing:
        raise ToolError("tool function %s() needs input %s (no default)" % (
            func.__name__, ", ".join(repr(k) for k in missing)), "InputError")
    return kwargs


# --- calling and results ----------------------------------------------------------------------

async def _drain_async_generator(agen):
    return [item async for item in agen]


def _call(func, kwargs):
    result = func(**kwargs)
    if inspect.isawaitable(result):
        result = asyncio.run(_await(result))
    was_stream = inspect.isasyncgen(result) or inspect.isgenerator(result)
    if inspect.isasyncgen(result):
        result = asyncio.run(_drain_async_generator(result))
    if inspect.isgenerator(result):
        result = list(result)
    if isinstance(result, list) and was_stream and all(isinstance(x, str) for x in result):
        result = "".join(result)  # a streamed text answer, consumed as a whole
    return result


async def _await(awaitable):
    return await awaitable


class _OutputTooLarge(Exception):
    """The return value is larger than the worker's --max-output-bytes."""


class _Budget:
    """Characters a return value may still take: a cheap early bound, so a huge value fails
    before a JSON copy of it is built (the exact check is on the encoded bytes in main)."""

    def __init__(self, limit):
        self.left = float("inf") if limit is None else limit

    def take(self, count):
        self.left -= count
        if self.left < 0:
            raise _OutputTooLarge()


def _to_json(value, notes, depth=0, budget=None):
    """A JSON-compatible copy of value; what cannot be represented becomes str() + a note."""
    if budget is None:
        budget = _Budget(_max_output_bytes)
    budget.take(len(value) if isinstance(value, (str, bytes, bytearray)) else 1)
    if depth > 200:
        notes.append("output nested deeper than 200 levels was cut")
        return None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        notes.append("output value %r is not valid JSON; returned as a string" % value)
        return str(value)
    if isinstance(value, Image):
        return value.serialize()
    if isinstance(value, dict):
        return {(k if isinstance(k, str) else str(_to_json(k, notes, depth + 1, budget))):
                _to_json(v, notes, depth + 1, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_to_json(v, notes, depth + 1, budget) for v in value]
    if isinstance(value, enum.Enum):
        return _to_json(value.value, notes, depth + 1, budget)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _to_json(dataclasses.asdict(value), notes, depth + 1, budget)
    if isinstance(value, _Connection):
        return value.name
    if isinstance(value, (bytes, bytearray)):
        notes.append("output of type %s is not JSON-serialisable; returned str()"
                     % type(value).__name__)
        return str(value)
    for method in ("model_dump", "to_dict", "serialize"):
        converter = getattr(value, method, None)
        if callable(converter):
            try:
                return _to_json(converter(), notes, depth + 1, budget)
            except Exception:
                break
    notes.append("output of type %s is not JSON-serialisable; returned str()"
                 % type(value).__name__)
    return str(value)


def _describe_error(error, tool_file):
    """Type, message, the innermost traceback frame in the tool file, and the traceback
    without the worker's own frames."""
    if isinstance(error, ToolError):
        return {"type": error.type_name, "message": str(error), "location": error.location,
                "traceback": ""}
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    location = ""
    for frame in frames:
        if os.path.abspath(frame.filename) == tool_file:
            location = "%s:%d" % (tool_file, frame.lineno)
    if isinstance(error, SyntaxError) and error.filename:
        location = "%s:%s" % (error.filename, error.lineno or 0)
    if not location and frames:
        location = "%s:%d" % (frames[-1].filename, frames[-1].lineno)
    lines = ["Traceback (most recent call last):\n"]
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(error), error)
    message = str(error)
    if isinstance(error, SystemExit):
        message = "the tool called sys.exit(%r)" % (error.code,)
    return {"type": type(error).__name__, "message": message, "location": location,
            "traceback": "".join(lines)}


# --- serving ----------------------------------------------------------------------------------

class _Environment:
    """Applies a call's environment variables and restores the previous values afterwards."""

    def __init__(self, changes):
        self._changes = {str(k): str(v) for k, v in (changes or {}).items()}
        self._saved = {}

    def __enter__(self):
        for key, value in self._changes.items():
            self._saved[key] = os.environ.get(key)
            os.environ[key] = value

    def __exit__(self, *exc):
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _serve(request, stdout, stderr):
    global _last_flow_dir
    tool_file = os.path.abspath(str(request.get("file", "")))
    cwd = os.path.abspath(str(request.get("cwd") or os.path.dirname(tool_file)))
    if _last_flow_dir is not None and _last_flow_dir != cwd:
        _forget_modules_under(_last_flow_dir)
    _last_flow_dir = cwd

    state = runtime.CallState(request.get("aggregation", False))
    call_log = _CallLog()
    added_paths = [p for p in dict.fromkeys([cwd, os.path.dirname(tool_file)])
                   if p not in sys.path]
    sys.path[0:0] = added_paths
    sys.stdout, sys.stderr = stdout, stderr  # in case a tool replaced them
    stdout.target = call_log
    stderr.target = call_log
    runtime.current = state
    response = {}
    try:
        with _Environment(request.get("env")):
            os.chdir(cwd)
            if not os.path.isfile(tool_file):
                raise ToolError("%s: no such python file" % tool_file, "FileNotFoundError",
                                tool_file)
            module = _load_module(tool_file)
            func = _find_tool(module, tool_file)
            kwargs = _build_kwargs(func, request, cwd)
            result = _call(func, kwargs)
            notes = []
            output = _to_json(result, notes)
            state.notes.extend(notes)
            response = {"ok": True, "output": output, "metrics": state.metrics}
    except _OutputTooLarge:
        response = {"ok": False, "error": _output_too_large()}
    except BaseException as error:  # noqa: B902 - a tool's SystemExit must not end the worker
        if isinstance(error, KeyboardInterrupt):
            raise
        response = {"ok": False, "error": _describe_error(error, tool_file)}
    finally:
        runtime.current = None
        stdout.target = None
        stderr.target = None
        for path in added_paths:
            try:
                sys.path.remove(path)
            except ValueError:
                pass
    log = call_log.text()
    if call_log.truncated:
        state.notes.append("the tool printed more than %d characters; the rest was dropped"
                           % _CallLog.LIMIT)
    for note in state.notes:
        if log and not log.endswith("\n"):
            log += "\n"
        log += "[flowbench] %s\n" % note
    response["log"] = log
    return response


# Cap of a call's return value as UTF-8 JSON (--max-output-bytes); None = no cap.
_max_output_bytes = None


def _output_too_large():
    return {"type": "OutputTooLarge", "location": "", "traceback": "",
            "message": "the tool's return value exceeds the cap of %d bytes as JSON "
                       "(max output bytes); it was dropped" % _max_output_bytes}


def _encode_response(obj):
    """One response line as UTF-8 bytes; the output part is held to _max_output_bytes while
    it is encoded, so an oversized value is never encoded whole."""
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
    output = obj.pop("output", None) if "output" in obj else _NO_OUTPUT
    parts = [encoder.encode(obj).encode("utf-8", "replace")]
    if output is not _NO_OUTPUT:
        size = 0
        pieces = []
        for chunk in encoder.iterencode(output):
            piece = chunk.encode("utf-8", "replace")
            size += len(piece)
            if _max_output_bytes is not None and size > _max_output_bytes:
                raise _OutputTooLarge()
            pieces.append(piece)
        # {"ok": ...} becomes {"ok": ..., "output": <value>}
        head = parts[0][:-1]
        parts = [head, b', "output": ' if head != b"{" else b'"output": ', b"".join(pieces), b"}"]
    return b"".join(parts) + b"\n"


_NO_OUTPUT = object()


def _set_parent_death_signal(parent_pid):
    """Asks Linux to SIGKILL this worker when the runner's spawning thread ends (a kill -9 of
    the whole runner included), so a killed runner never leaves a tool spinning."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, ImportError):
        pass
    # The runner may have died before prctl: then the worker has been re-parented already.
    if os.getppid() != parent_pid:
        os._exit(1)


def main(argv):
    if sys.version_info < (3, 8):
        sys.stderr.write("Flowbench python nodes need Python 3.8 or newer, not %s\n"
                         % sys.version.split()[0])
        return 1
    global _max_output_bytes
    options = dict(zip(argv[1::2], argv[2::2])) if len(argv) % 2 == 1 else {}
    try:
        response_fd = int(options["--response-fd"])
        if "--max-output-bytes" in options:
            _max_output_bytes = int(options["--max-output-bytes"])
        if "--parent-pid" in options:
            _set_parent_death_signal(int(options["--parent-pid"]))
    except (KeyError, ValueError):
        sys.stderr.write("usage: flowbench_worker.py --response-fd N [--max-output-bytes N]"
                         " [--parent-pid PID]\n")
        return 2
    os.set_inheritable(response_fd, False)
    requests = os.fdopen(os.dup(0), "rb")
    os.set_inheritable(requests.fileno(), False)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull, "r")

    # A crash in native code still leaves a Python stack in the runner's stderr tail.
    faulthandler.enable(file=sys.__stderr__, all_threads=True)
    stdout = _CaptureStream(1)
    stderr = _CaptureStream(2)
    sys.stdout = stdout
    sys.stderr = stderr

    def reply(obj):
        try:
            line = _encode_response(obj)
        except _OutputTooLarge:
            line = _encode_response({"ok": False, "log": obj.get("log", ""),
                                     "error": _output_too_large()})
        _write_all(response_fd, line)

    reply({"ready": True, "python": "%d.%d.%d" % sys.version_info[:3]})
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request must be a JSON object")
        except ValueError as error:
            reply({"ok": False, "log": "", "error": {
                "type": "ProtocolError", "message": "bad request: %s" % error,
                "location": "", "traceback": ""}})
            continue
        response = _serve(request, stdout, stderr)
        try:
            reply(response)
        except ValueError as error:  # e.g. a metric that is NaN
            reply({"ok": False, "log": response.get("log", ""), "error": {
                "type": "ValueError", "message": "result cannot be sent as JSON: %s" % error,
                "location": "", "traceback": ""}})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
