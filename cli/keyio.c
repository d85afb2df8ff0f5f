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

enum { PASSWORD_MAX = 1024 };

int keyio_report(const char *what, const char *path, enum sig_error err)
{
	if (err == SIG_ERR_IO)
		cli_error("%s '%s': %s", what, quote(path).s, strerror(errno));
	else
		cli_error("%s '%s': %s", what, quote(path).s, sig_strerror(err));
	return sig_error_is_unverified(err) ? EXIT_UNVERIFIED : EXIT_BAD;
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

/* Prompt on the terminal and read a line with echo off; the settings are always restored. */
static ssize_t tty_read(int tty, const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	if (tcgetattr(tty, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(tty, prompt, strlen(prompt)) < 0 || tcsetattr(tty, TCSAFLUSH, &quiet) != 0)
		return -1;
	ssize_t len = line_read(tty, buf, cap);
	int saved = errno;
	(void)tcsetattr(tty, TCSAFLUSH, &old);
	(void)!write(tty, "\n", 1);
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
	if (sodium_init() < 0)
		return EXIT_BAD;
	char *buf = sodium_malloc(PASSWORD_MAX + 1);
	if (!buf) {
		cli_error("out of memory");
		return EXIT_BAD;
	}
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

int keyio_public_load(const char *path, const char *b64, struct sig_public_key *key_out)
{
	char *text = NULL;
	size_t len;
	enum sig_error err;

	if (!path) {
		const char *line = b64 ? b64 : heart_release_pubkey;
		err = sig_public_key_parse_base64(line, strlen(line), key_out);
		return err == SIG_OK ? EXIT_OK : keyio_report("public key", line, err);
	}
	err = sig_file_read(path, SIG_FILE_MAX, false, &text, &len);
	if (err == SIG_OK)
		err = sig_public_key_parse(text, len, key_out);
	free(text);
	return err == SIG_OK ? EXIT_OK : keyio_report("public key", path, err);
}

int keyio_secret_load(const char *path, struct sig_secret_key **key_out)
{
	char *text = NULL;
	char *password = NULL;
	size_t len;
	struct sig_secret_key *key = NULL;
	int status = EXIT_BAD;

	*key_out = NULL;
	enum sig_error err = sig_file_read(path, SIG_FILE_MAX, true, &text, &len);
	if (err == SIG_OK)
		err = sig_secret_key_parse(text, len, &key);
	sig_secret_free(text);
	if (err != SIG_OK)
		return keyio_report("secret key", path, err);
	if (sig_secret_key_is_encrypted(key)) {
		status = keyio_password_read(false, &password, &len);
		if (status != EXIT_OK)
			goto out;
		err = sig_secret_key_unlock(key, password, len);
		if (err != SIG_OK) {
			status = keyio_report("secret key", path, err);
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

int keyio_trusted_comment(const char *given, const char *name, char **comment_out)
{
	enum sig_error err;
	*comment_out = NULL;
	if (given) {
		err = sig_comment_check(given, true);
		if (err == SIG_OK && !(*comment_out = strdup(given)))
			err = SIG_ERR_NOMEM;
		if (err != SIG_OK)
			return keyio_report("trusted comment", given, err);
		return EXIT_OK;
	}
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	err = sig_default_trusted_comment(name, epoch, comment_out);
	if (err == SIG_ERR_TIMESTAMP)
		return keyio_report("SOURCE_DATE_EPOCH", epoch, err);
	if (err == SIG_OK)
		err = sig_comment_check(*comment_out, true);
	if (err != SIG_OK) {
		free(*comment_out);
		*comment_out = NULL;
		cli_error("file name '%s' cannot go in the default trusted comment (%s): give -t",
			  quote(name).s, sig_strerror(err));
		return EXIT_BAD;
	}
	return EXIT_OK;
}

int keyio_signature_write(const struct sig_secret_key *key,
			  const uint8_t digest[SIG_DIGEST_BYTES], const char *untrusted,
			  const char *trusted, const char *sig_path)
{
	struct sig_signature *sig = malloc(sizeof(*sig));
	char *text = NULL;
	enum sig_error err = sig ? sig_sign_digest(key, digest, untrusted, trusted, sig)
				 : SIG_ERR_NOMEM;
	if (err == SIG_OK)
		err = sig_signature_serialize(sig, &text);
	if (err == SIG_OK)
		err = sig_file_write_atomic(sig_path, text, strlen(text), 0644, true);
	free(text);
	free(sig);
	return err == SIG_OK ? EXIT_OK : keyio_report("signature", sig_path, err);
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
