# Flowbench compatibility shim -- not promptflow (see ../../README.md).
"""A minimal `Image`: bytes with a MIME type."""

import base64


class Image(bytes):
    """Image bytes plus their MIME type (e.g. "image/png") and, if known, where they came from."""

    def __new__(cls, value, mime_type="image/*", source_url=None):
        obj = super().__new__(cls, value)
        obj._mime_type = mime_type or "image/*"
        obj.source_url = source_url
        return obj

    @property
    def mime_type(self):
        return self._mime_type

    def to_base64(self, with_type=False):
        """The bytes as base64, or as a data URL when with_type is true."""
        encoded = base64.b64encode(self).decode("ascii")
        if with_type:
            return "data:%s;base64,%s" % (self._mime_type, encoded)
        return encoded

    def serialize(self):
        """The promptflow JSON form of an inline image."""
        return {"data:%s;base64" % self._mime_type: self.to_base64()}

    def __str__(self):
        return "Image(%s, %d bytes)" % (self._mime_type, len(self))

    __repr__ = __str__


__all__ = ["Image"]
