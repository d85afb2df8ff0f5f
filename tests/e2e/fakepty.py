"""heart on a pseudo-terminal that the test plays the terminal of: it reads everything heart
writes, answers (or not) heart's questions, types keys and changes the window size."""
import fcntl
import os
import select
import struct
import subprocess
import termios
import time

from heartlib import HEART

WAIT = 10  # seconds any one condition may take


class FakeTerminal:
    """heart (or argv) as the session leader of a new pseudo-terminal, cols x rows."""

    def __init__(self, args, cols=40, rows=12, env=None, argv=None):
        self.master, self.slave = os.openpty()
        self.resize(cols, rows)
        full_env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8',
                    'TERM': 'xterm-256color'}
        full_env.update(env or {})

        def take_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(argv or [HEART] + [str(a) for a in args],
                                     stdin=self.slave, stdout=self.slave, stderr=self.slave,
                                     env=full_env, start_new_session=True,
                                     preexec_fn=take_terminal)
        self.output = bytearray()
        self.events = []  # ('o', bytes) and ('r', cols, rows), in order

    def resize(self, cols, rows):
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        if hasattr(self, 'events'):
            self.events.append(('r', cols, rows))

    def read(self, timeout=0.05):
        """What heart wrote within timeout seconds (b'' if nothing); kept in self.output."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b''
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: heart has gone and the slave is closed
            return b''
        self.output += data
        self.events.append(('o', bytes(data)))
        return data

    def read_until(self, predicate, what, timeout=WAIT):
        """Read until predicate(self.output) holds; fail after timeout seconds."""
        deadline = time.monotonic() + timeout
        while not predicate(bytes(self.output)):
            if time.monotonic() > deadline:
                raise AssertionError('timed out waiting for %s; got %r' %
                                     (what, bytes(self.output[-300:])))
            self.read()

    def type(self, data):
        os.write(self.master, data)

    def pending_input(self):
        """Bytes in the terminal's input queue that nobody has read (what a shell would get)."""
        return struct.unpack('i', fcntl.ioctl(self.slave, termios.FIONREAD, b'\0' * 4))[0]

    def wait(self):
        """heart's exit status, reading its output meanwhile."""
        deadline = time.monotonic() + WAIT
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError('heart did not exit')
            self.read()
        while self.read(0.01):
            pass
        return self.proc.returncode

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)
