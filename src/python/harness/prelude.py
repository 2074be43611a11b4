"""snipcheck's Python side: one module, written as eight files that src/python/mod.rs
joins in order (prelude, guide, output, statements, together, process, contained,
worker); this is part 1 of 8: the imports and the harness's own references.

The Rust binary loads the module in two places:

* in its own embedded interpreter, for what needs Python's own grammar while reading a
  guide: where the comments of an example are (``comments``), which lines of a text
  guide are code (``text_blocks``) and what a literal is (``literal``). Nothing here runs
  guide code.
* in a worker process (the embedded interpreter of ``snipcheck __worker``, or any
  CPython 3.9+ given with ``--python``), where ``worker_main`` reads one question per
  line of JSON, runs it in a forked child and answers with one line of JSON.

Every question runs in its own forked child, so nothing it does (patched builtins,
``sys.setrecursionlimit``, ``os.chdir``, signal handlers, threads that never stop,
``os._exit``, a segfault) can reach the worker or another question. The worker only
reads the child's events, enforces the time limit and collects the exit status.
"""

import ast
import atexit
import bisect
import gc
import io
import json
import linecache
import os
import random
import select
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import tokenize
import traceback
import types
import warnings

try:
    import resource  # imported once here, not in every forked child
except ImportError:  # not a POSIX system
    resource = None

import builtins as _builtins_module

# An example may patch builtins, `json.dumps`, `os.write`, `sys._getframe`...: it sees
# what real CPython would show it, but the harness keeps its own references, taken
# before any example runs. Functions defined below look names up in this private copy
# of the builtins, not in the module an example can change.
__builtins__ = dict(_builtins_module.__dict__)
_json_loads = json.loads


def _json_encoder():
    """One JSON encoder for every event and answer, without spaces: ``json.dumps``
    builds a new encoder for each call, half the cost of a statement's event."""
    try:
        from json.encoder import c_make_encoder, encode_basestring_ascii
        encode = c_make_encoder(None, None, encode_basestring_ascii, None, ":", ",",
                                False, False, True)
        encode({"check": [1, None, True, "x"]}, 0)
        return lambda obj: "".join(encode(obj, 0))
    except Exception:  # no C accelerator in this interpreter
        dumps = json.dumps
        return lambda obj: dumps(obj, separators=(",", ":"))


_json_dumps = _json_encoder()
# the decoder's scanner itself, for the worker's one parse of a question's events:
# json.loads's Python layers touch pages of their own after every fork
_scan_json = json.decoder.JSONDecoder().scan_once
_os_write = os.write
_os_read = os.read
_os_pread = os.pread
_os_fstat = os.fstat
_os_close = os.close
_os_getpid = os.getpid
_os_exit = os._exit
_getframe = sys._getframe
_format_exception = traceback.format_exception
_settrace, _gettrace = sys.settrace, sys.gettrace
_setprofile, _getprofile = sys.setprofile, sys.getprofile
_thread_settrace, _thread_setprofile = threading.settrace, threading.setprofile
