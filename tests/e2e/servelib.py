"""Start `heart serve` for a test: on 127.0.0.1, on a port the kernel picks, stopped by the test.

    with Server('--threads', '2') as s:
        status, headers, body = s.get('/heart.svg?color=red')

preexec_fn runs in the child just before heart is executed (a sandbox, for instance).
The server's stderr goes to a file; s.log() reads it. Leaving the block sends SIGTERM and
asserts a clean exit (status 0) unless the test already stopped the server itself.
"""
import http.client
import os
import re
import signal
import subprocess
import tempfile
import time

from heartlib import HEART

READY = re.compile(rb'^heart: serving http://127\.0\.0\.1:(\d+)/$', re.M)


class Server:
    def __init__(self, *args, env=None, startup_timeout=30, preexec_fn=None):
        self.args = [str(a) for a in args]
        self.env = dict(os.environ, **(env or {}))
        self.preexec_fn = preexec_fn
        self.startup_timeout = startup_timeout
        self.proc = None
        self.port = None
        self.returncode = None

    def __enter__(self):
        self._err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([HEART, 'serve', '--listen', '127.0.0.1:0'] + self.args,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._err, env=self.env,
                                     preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + self.startup_timeout
        while self.port is None:
            m = READY.search(self.log())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise AssertionError('heart serve exited %d: %r' % (self.proc.returncode,
                                                                    self.log()))
            elif time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError('heart serve did not start: %r' % self.log())
            else:
                time.sleep(0.01)
        self.base = 'http://127.0.0.1:%d' % self.port
        return self

    def log(self):
        """Everything the server wrote to stderr so far."""
        self._err.seek(0)
        return self._err.read()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Send sig and wait for the exit; returns the exit status."""
        if self.returncode is None:
            self.proc.send_signal(sig)
            try:
                self.returncode = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.returncode

    def __exit__(self, exc_type, exc, tb):
        stopped_by_test = self.returncode is not None
        status = self.stop()
        stdout = self.proc.stdout.read()
        self.proc.stdout.close()
        log = self.log()
        self._err.close()
        if exc_type is None and not stopped_by_test:
            assert status == 0, 'heart serve exited %d: %r' % (status, log[-2000:])
            assert stdout == b'', stdout[:200]
        return False

    def connection(self, timeout=30):
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)

    def request(self, method, target, headers=None, body=None):
        """One request on a new connection: (status, headers as a dict with lower-case
        names, body bytes)."""
        conn = self.connection()
        try:
            conn.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            if body is not None:
                conn.putheader('Content-Length', str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            conn.close()

    def get(self, target, headers=None):
        return self.request('GET', target, headers)
