"""heart on a pseudo-terminal that the test plays the terminal of: it reads everything heart
writes, answers (or not) heart's questions, types keys and changes the window size."""
import fcntl
import os
import resource
import select
import signal
import struct
import subprocess
import termios
import time

from heartlib import HEART

WAIT = 10  # seconds any one condition may take

# Every signal whose default action ends the process (signal(7)), real-time ones included:
# whichever ends heart, the terminal must be given back and heart must die by that signal.
TERMINATING_SIGNALS = [
    signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGILL, signal.SIGTRAP, signal.SIGABRT,
    signal.SIGBUS, signal.SIGFPE, signal.SIGUSR1, signal.SIGSEGV, signal.SIGUSR2,
    signal.SIGPIPE, signal.SIGALRM, signal.SIGTERM, signal.SIGSTKFLT, signal.SIGIO,
    signal.SIGXCPU, signal.SIGXFSZ, signal.SIGVTALRM, signal.SIGPROF, signal.SIGPWR,
    signal.SIGSYS] + list(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))


def signal_name(sig):
    try:
        return signal.Signals(sig).name
    except ValueError:
        return 'SIGRTMIN+%d' % (sig - signal.SIGRTMIN)


def no_core_dumps():
    """In the child: crash signals must not leave core files (or take the time to write them)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class FakeTerminal:
    """heart (or argv) as the session leader of a new pseudo-terminal, cols x rows."""

    def __init__(self, args, cols=40, rows=12, env=None, argv=None):
        self.master, self.slave = os.openpty()
        self.resize(cols, rows)
        full_env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8',
                    'TERM': 'xterm-256color'}
        full_env.update(env or {})

        def take_terminal():
            no_core_dumps()
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

    def echo_and_lines(self):
        """(ECHO on, ICANON on): whether the terminal echoes and edits lines, as a shell
        expects to find it."""
        lflag = termios.tcgetattr(self.slave)[3]
        return bool(lflag & termios.ECHO), bool(lflag & termios.ICANON)

    def wait_for_modes(self, predicate, what):
        """Read until predicate(echo_and_lines()) holds (heart changed the modes)."""
        deadline = time.monotonic() + WAIT
        while not predicate(self.echo_and_lines()):
            if time.monotonic() > deadline:
                raise AssertionError('timed out waiting for %s; got %r' %
                                     (what, bytes(self.output[-300:])))
            self.read(0.01)

    def wait_signaled(self):
        """The signal heart died by (an AssertionError if it exited instead)."""
        status = self.wait()
        if status >= 0:
            raise AssertionError('heart exited with %d instead of dying by a signal' % status)
        return -status

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
        """Kill heart if it still runs and close the terminal; safe to repeat."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.master >= 0:
            os.close(self.master)
            os.close(self.slave)
        self.master = self.slave = -1
