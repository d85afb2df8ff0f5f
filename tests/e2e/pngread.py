"""A small, strict PNG reader for tests: chunks, palette, and decoded pixel rows."""
import struct
import zlib


def chunks(data):
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG signature'
    pos, out = 8, []
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, 'bad CRC in %r' % kind
        out.append((kind.decode('ascii'), body))
        pos += 12 + length
    assert out[-1][0] == 'IEND'
    return out


def unfilter(raw, width, height, bpp):
    rows, prev, stride, pos = [], bytearray(width * bpp), width * bpp, 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            else:
                assert ftype == 0, 'bad filter type'
        rows.append(bytes(line))
        prev = line
    return rows


class Png:
    """Decodes 8-bit palette and RGB(A) images into rows of RGBA tuples."""

    def __init__(self, data):
        self.chunks = chunks(data)
        names = [k for k, _ in self.chunks]
        ihdr = self.chunks[0][1]
        assert names[0] == 'IHDR'
        self.width, self.height, depth, self.color_type, _, _, interlace = \
            struct.unpack('>IIBBBBB', ihdr)
        assert depth == 8 and interlace == 0
        self.text = {}
        palette, alpha = [], []
        for kind, body in self.chunks:
            if kind == 'PLTE':
                palette = [tuple(body[i:i + 3]) for i in range(0, len(body), 3)]
            elif kind == 'tRNS':
                alpha = list(body)
            elif kind == 'tEXt':
                key, value = body.split(b'\0', 1)
                self.text[key.decode('latin-1')] = value.decode('latin-1')
        self.palette = [p + ((alpha[i] if i < len(alpha) else 255),) for i, p in enumerate(palette)]
        raw = zlib.decompress(b''.join(b for k, b in self.chunks if k == 'IDAT'))
        bpp = {3: 1, 2: 3, 6: 4}[self.color_type]
        self.raw_rows = unfilter(raw, self.width, self.height, bpp)
        self.names = names

    def pixel(self, x, y):
        row = self.raw_rows[y]
        if self.color_type == 3:
            return self.palette[row[x]]
        if self.color_type == 2:
            return tuple(row[3 * x:3 * x + 3]) + (255,)
        return tuple(row[4 * x:4 * x + 4])
