"""The seccomp part of a systemd unit's sandbox, for a process systemd does not start (the test
machine's init is not systemd): SystemCallFilter= with SystemCallErrorNumber=,
RestrictAddressFamilies= and MemoryDenyWriteExecute=, as systemd.exec(5) describes them, with
the system call groups `systemd-analyze syscall-filter` lists. Like systemd, one filter per
directive, loaded through libseccomp (systemd's own dependency) just before the exec; the
kernel answers each call with the strictest of them.

    sandbox = Sandbox(unit_service_lines)
    subprocess.Popen(argv, preexec_fn=sandbox.load)
"""
import ctypes
import errno
import socket
import subprocess

ACT_ALLOW = 0x7fff0000
CMP_EQ, CMP_GT, CMP_MASKED_EQ = 4, 6, 7
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000


def act_errno(code):
    return 0x00050000 | (code & 0xffff)


class ArgCmp(ctypes.Structure):
    _fields_ = [('arg', ctypes.c_uint), ('op', ctypes.c_int),
                ('datum_a', ctypes.c_uint64), ('datum_b', ctypes.c_uint64)]


lib = ctypes.CDLL('libseccomp.so.2', use_errno=True)
lib.seccomp_init.restype = ctypes.c_void_p
lib.seccomp_init.argtypes = [ctypes.c_uint32]
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                       ctypes.c_uint, ctypes.POINTER(ArgCmp)]
lib.seccomp_load.argtypes = [ctypes.c_void_p]


def syscall_groups():
    """{'@group': [member, ...]} from systemd-analyze; members are names or other groups."""
    out = subprocess.run(['systemd-analyze', 'syscall-filter'], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout.decode()
    groups, current = {}, None
    for line in out.splitlines():
        if line.startswith('@'):
            current = groups.setdefault(line.strip(), [])
        elif not line.strip():
            current = None
        elif current is not None and not line.strip().startswith('#'):
            current.append(line.strip())
    return groups


def expand(names, groups):
    found = set()
    for name in names:
        found |= expand(groups[name], groups) if name.startswith('@') else {name}
    return found


class Filter:
    def __init__(self, default_action):
        self.ctx = lib.seccomp_init(default_action)
        assert self.ctx, 'seccomp_init failed'

    def rule(self, action, name, *conditions):
        """Adds a rule; returns False for a call this architecture does not have."""
        nr = lib.seccomp_syscall_resolve_name(name.encode())
        if nr < 0:
            return False
        args = (ArgCmp * max(1, len(conditions)))(*[ArgCmp(*c) for c in conditions])
        r = lib.seccomp_rule_add_array(self.ctx, action, nr, len(conditions), args)
        assert r == 0, (name, conditions, r)
        return True


class Sandbox:
    def __init__(self, service):
        """service: the [Service] section as (key, value) pairs in file order."""
        settings = {}
        for key, value in service:
            settings.setdefault(key, []).append(value)
        self.filters = []
        if settings.get('RestrictAddressFamilies'):
            self._address_families(settings['RestrictAddressFamilies'])
        if settings.get('MemoryDenyWriteExecute') == ['yes']:
            self._memory_deny_write_execute()
        # Last, as systemd does: the allow list does not have seccomp() itself.
        self._system_calls(settings)

    def _system_calls(self, settings):
        # An allow list (its first line has no ~) always takes @default too; a ~ line then
        # takes calls out of it. What is left out fails with SystemCallErrorNumber=.
        lines = settings.get('SystemCallFilter', [])
        if not lines:
            return
        assert not lines[0].startswith('~'), 'only allow lists are implemented'
        groups = syscall_groups()
        allowed = expand(['@default'], groups)
        for value in lines:
            if value.startswith('~'):
                allowed -= expand(value[1:].split(), groups)
            else:
                allowed |= expand(value.split(), groups)
        (code,) = settings.get('SystemCallErrorNumber', ['EPERM'])
        f = Filter(act_errno(getattr(errno, code)))
        for name in sorted(allowed):
            f.rule(ACT_ALLOW, name)
        self.filters.append(f)

    def _address_families(self, lines):
        # socket() with a family outside the list fails with EAFNOSUPPORT.
        (value,) = lines
        families = {getattr(socket, name) for name in value.split()}
        f = Filter(ACT_ALLOW)
        refuse = act_errno(errno.EAFNOSUPPORT)
        for family in range(max(families)):
            if family not in families:
                f.rule(refuse, 'socket', (0, CMP_EQ, family, 0))
        f.rule(refuse, 'socket', (0, CMP_GT, max(families), 0))
        self.filters.append(f)

    def _memory_deny_write_execute(self):
        # No memory both writable and executable, and none made executable later.
        f = Filter(ACT_ALLOW)
        eperm = act_errno(errno.EPERM)
        wx = PROT_WRITE | PROT_EXEC
        f.rule(eperm, 'mmap', (2, CMP_MASKED_EQ, wx, wx))
        f.rule(eperm, 'mprotect', (2, CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
        f.rule(eperm, 'pkey_mprotect', (2, CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
        f.rule(eperm, 'shmat', (2, CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC))
        self.filters.append(f)

    def load(self):
        """In the child, before the exec (libseccomp sets no_new_privs first)."""
        for f in self.filters:
            if lib.seccomp_load(f.ctx) != 0:
                raise OSError('seccomp_load failed')
