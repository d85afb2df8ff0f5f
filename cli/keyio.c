#include "keyio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "release_key.h"
#include "signals.h"

enum { PASSWORD_MAX = 1024 };

int keyio_report(const char *what, const char *path, const char *out, enum sig_error err)
{
	if (err == SIG_ERR_WRITE)
		cli_error("cannot write '%s': %s", quote(out ? out : "").s, strerror(errno));
	else if (err == SIG_ERR_IO)
		cli_error("%s '%s': %s", what, quote(path).s, strerror(errno));
	else
		cli_error("%s '%s': %s", what, quote(path).s, sig_strerror(err));
	return sig_error_is_unverified(err) ? EXIT_UNVERIFIED : EXIT_BAD;
}

/* size bytes of sodium_malloc memory for a secret (freed with sig_secret_free()), or NULL after
 * reporting. */
static char *secret_buffer(size_t size)
{
	char *const buf = sodium_init() < 0 ? NULL : sodium_malloc(size);
	if (!buf)
		cli_error("out of memory");
	return buf;
}

/* One line from fd into buf (cap bytes with the NUL): byte by byte, so nothing after the
 * line is consumed. Drops the "\n" or "\r\n". -1 on a read error or a line too long. */
static ssize_t line_read(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || c == '\n')
			break;
		if (len + 1 >= cap) {
			errno = EMSGSIZE;
			return -1;
		}
		buf[len++] = c;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return (ssize_t)len;
}

/*
 * Prompt on the terminal and read a line with echo off; the settings are always restored. While
 * echo is off, cli/signals.h gives it back on any signal that ends heart (then heart dies by
 * it, its hidden files removed) and on Ctrl-Z; continued, echo goes off again and the prompt
 * is asked again (what was typed before the stop was discarded).
 */
static ssize_t tty_read(int tty, const char *prompt, char *buf, size_t cap)
{
	struct signals_terminal t = {
		.fd = tty, .has_termios = true, .leave = "\n", .enter = prompt};
	if (tcgetattr(tty, &t.saved) != 0)
		return -1;
	t.taken = t.saved;
	t.taken.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	t.taken.c_lflag |= ICANON;
	signals_terminal(&t);
	ssize_t len = -1;
	if (write(tty, prompt, strlen(prompt)) >= 0 && tcsetattr(tty, TCSAFLUSH, &t.taken) == 0)
		len = line_read(tty, buf, cap);
	int saved = errno;
	(void)tcsetattr(tty, TCSAFLUSH, &t.saved);
	(void)!write(tty, "\n", 1);
	signals_terminal(NULL);
	errno = saved;
	return len;
}

static int tty_password(bool confirm, char *buf, size_t cap, ssize_t *len_out)
{
	int status = EXIT_BAD;
	char *again = sodium_malloc(cap);
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty < 0 || !again) {
		cli_error("cannot read a password: /dev/tty: %s", strerror(errno));
		goto out;
	}
	*len_out = tty_read(tty, "Password: ", buf, cap);
	if (*len_out < 0) {
		cli_error("cannot read the password: %s", strerror(errno));
		goto out;
	}
	if (confirm) {
		ssize_t len2 = tty_read(tty, "Password (again): ", again, cap);
		if (len2 != *len_out || memcmp(buf, again, (size_t)*len_out) != 0) {
			cli_error("the passwords do not match");
			goto out;
		}
	}
	status = EXIT_OK;
out:
	if (tty >= 0)
		close(tty);
	sig_secret_free(again);
	return status;
}

int keyio_password_read(bool confirm, char **password_out, size_t *len_out)
{
	ssize_t len = -1;
	int status;

	*password_out = NULL;
	*len_out = 0;
	char *buf = secret_buffer(PASSWORD_MAX + 1);
	if (!buf)
		return EXIT_BAD;
	if (isatty(STDIN_FILENO)) {
		status = tty_password(confirm, buf, PASSWORD_MAX + 1, &len);
	} else {
		/* A pipe cannot mistype: one line, read once, even for keygen. */
		len = line_read(STDIN_FILENO, buf, PASSWORD_MAX + 1);
		status = EXIT_OK;
		if (len < 0) {
			cli_error("cannot read the password from standard input: %s",
				  errno == EMSGSIZE ? "longer than 1024 bytes" : strerror(errno));
			status = EXIT_BAD;
		}
	}
	if (status != EXIT_OK) {
		sig_secret_free(buf);
		return status;
	}
	*password_out = buf;
	*len_out = (size_t)len;
	return EXIT_OK;
}

enum sig_error keyio_release_keys(struct sig_keyring *ring)
{
	for (const char *line = heart_release_pubkey; *line;) {
		size_t const len = strcspn(line, ",");
		struct sig_public_key key;
		enum sig_error err = sig_public_key_parse_base64(line, len, &key);
		if (err == SIG_OK)
			err = sig_keyring_add(ring, &key);
		if (err != SIG_OK)
			return err;
		line += len + (line[len] == ',');
	}
	return SIG_OK;
}

static int add_key(struct sig_keyring *ring, const struct sig_public_key *key, const char *from)
{
	enum sig_error const err = sig_keyring_add(ring, key);
	return err == SIG_OK ? EXIT_OK : keyio_report("public key", from, NULL, err);
}

int keyio_keyring_load(struct fio_batch *batch, const struct opt_list *paths,
		       const struct opt_list *b64s, const char *keyring, struct sig_keyring *ring)
{
	char text[SIG_FILE_MAX + 1];
	size_t len;
	struct sig_public_key key;
	enum sig_error err;
	int status = EXIT_OK;

	if (paths->n == 0 && b64s->n == 0 && !keyring) {
		err = keyio_release_keys(ring);
		return err == SIG_OK ? EXIT_OK
				     : keyio_report("public key", heart_release_pubkey, NULL, err);
	}
	for (int i = 0; status == EXIT_OK && i < paths->n; i++) {
		if (!fio_batch_read(batch, paths->values[i], text, sizeof(text), &len))
			return cli_file_error(fio_batch_error(batch), "public key");
		err = sig_public_key_parse(text, len, &key);
		status = err == SIG_OK ? add_key(ring, &key, paths->values[i])
				       : keyio_report("public key", paths->values[i], NULL, err);
	}
	for (int i = 0; status == EXIT_OK && i < b64s->n; i++) {
		const char *const line = b64s->values[i];
		err = sig_public_key_parse_base64(line, strlen(line), &key);
		status = err == SIG_OK ? add_key(ring, &key, line)
				       : keyio_report("public key", line, NULL, err);
	}
	if (status != EXIT_OK || !keyring)
		return status;
	if (!fio_batch_read(batch, keyring, text, sizeof(text), &len))
		return cli_file_error(fio_batch_error(batch), "keyring");
	err = sig_keyring_parse(text, len, ring);
	return err == SIG_OK ? EXIT_OK : keyio_report("keyring", keyring, NULL, err);
}

int keyio_secret_load(struct fio_batch *batch, const char *path, struct sig_secret_key **key_out)
{
	char *password = NULL;
	size_t len;
	struct sig_secret_key *key = NULL;
	int status = EXIT_BAD;

	*key_out = NULL;
	char *text = secret_buffer(SIG_FILE_MAX + 1);
	if (!text)
		return EXIT_BAD;
	if (!fio_batch_read(batch, path, text, SIG_FILE_MAX + 1, &len)) {
		sig_secret_free(text);
		return cli_file_error(fio_batch_error(batch), "secret key");
	}
	enum sig_error err = sig_secret_key_parse(text, len, &key);
	sig_secret_free(text);
	if (err != SIG_OK)
		return keyio_report("secret key", path, NULL, err);
	if (sig_secret_key_is_encrypted(key)) {
		status = keyio_password_read(false, &password, &len);
		if (status != EXIT_OK)
			goto out;
		err = sig_secret_key_unlock(key, password, len);
		if (err != SIG_OK) {
			status = keyio_report("secret key", path, NULL, err);
			goto out;
		}
	}
	*key_out = key;
	key = NULL;
	status = EXIT_OK;
out:
	sig_secret_free(password);
	sig_secret_key_destroy(key);
	return status;
}

int keyio_trusted_comment(const char *given, const struct sig_comment_fields *fields,
			  const char *name, char **comment_out)
{
	enum sig_error err;
	*comment_out = NULL;
	if (given) {
		err = sig_comment_check(given, true);
		if (err == SIG_OK && !(*comment_out = strdup(given)))
			err = SIG_ERR_NOMEM;
		if (err != SIG_OK)
			return keyio_report("trusted comment", given, NULL, err);
		return EXIT_OK;
	}
	const char *const epoch = getenv("SOURCE_DATE_EPOCH");
	err = fields ? sig_structured_trusted_comment(name, epoch, fields, comment_out)
		     : sig_default_trusted_comment(name, epoch, comment_out);
	if (err == SIG_ERR_TIMESTAMP)
		return keyio_report("SOURCE_DATE_EPOCH", epoch, NULL, err);
	if (fields && err == SIG_ERR_VERSION)
		return keyio_report("--product-version", fields->version, NULL, err);
	if (fields && err == SIG_ERR_FIELD_VALUE) {
		cli_error("--product, --arch: %s", sig_strerror(err));
		return EXIT_BAD;
	}
	/* The whole comment too: a long name can take it past the length limit. */
	if (err == SIG_OK && sig_comment_check(*comment_out, true) != SIG_OK)
		err = SIG_ERR_FILE_NAME;
	if (err != SIG_OK) {
		free(*comment_out);
		*comment_out = NULL;
		if (err != SIG_ERR_FILE_NAME)
			return keyio_report("trusted comment for", name, NULL, err);
		cli_error("file name '%s' cannot go in the %strusted comment (no tab, control "
			  "character or invalid UTF-8): give -t",
			  quote(name).s, fields ? "" : "default ");
		return EXIT_BAD;
	}
	return EXIT_OK;
}

int keyio_output(struct fio_batch *batch, const char *path, struct fio_out **out_out)
{
	struct fio_out_opts const opts = {.mode = 0644, .durable = true};
	return fio_batch_output(batch, path, &opts, out_out)
		       ? EXIT_OK
		       : cli_file_error(fio_batch_error(batch), NULL);
}

int keyio_signature_write(struct fio_batch *batch, struct fio_out *out, const char *path,
			  const struct sig_secret_key *key, const uint8_t digest[SIG_DIGEST_BYTES],
			  const char *untrusted, const char *trusted)
{
	struct sig_signature *sig = malloc(sizeof(*sig));
	char *text = NULL;
	enum sig_error err =
		sig ? sig_sign_digest(key, digest, untrusted, trusted, sig) : SIG_ERR_NOMEM;
	if (err == SIG_OK)
		err = sig_signature_serialize(sig, &text);
	free(sig);
	if (err != SIG_OK)
		return keyio_report("signature", path, NULL, err);
	bool const ok = fio_out_write(batch, out, text, strlen(text));
	free(text);
	return ok ? EXIT_OK : cli_file_error(fio_batch_error(batch), NULL);
}

char *keyio_path_suffix(const char *path, const char *suffix)
{
	size_t size = strlen(path) + strlen(suffix) + 1;
	char *sig_path = malloc(size);
	if (!sig_path)
		cli_error("out of memory");
	else
		snprintf(sig_path, size, "%s%s", path, suffix);
	return sig_path;
}
