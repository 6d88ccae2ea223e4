# Flowbench compatibility shim -- not promptflow (see ../../README.md).
"""Connection classes for tool signatures: configs (plain) and secrets, read as attributes.

Flowbench builds these objects for parameters annotated with a connection class; the values
come from Flowbench's own connection store (already resolved, never written to disk).
"""

__all__ = [
    "OpenAIConnection",
    "AzureOpenAIConnection",
    "AzureContentSafetyConnection",
    "SerpConnection",
    "CognitiveSearchConnection",
    "FormRecognizerConnection",
    "CustomConnection",
    "CustomStrongTypeConnection",
    "ServerlessConnection",
]

_SCRUBBED = "******"


class _Connection:
    """Base of every connection: a name, a type, `configs` and `secrets` dictionaries."""

    TYPE = "_NOT_SET"
    #: Configs filled in when a connection of this class lacks them.
    _DEFAULT_CONFIGS = {}

    def __init__(self, name=None, module="promptflow.connections", configs=None, secrets=None,
                 **kwargs):
        self.name = name
        self.type = self.TYPE
        self.class_name = "%sConnection" % self.TYPE
        self.module = module
        self.configs = dict(configs or {})
        self.secrets = dict(secrets or {})

    @classmethod
    def _flowbench_build(cls, name, configs, secrets):
        """An instance holding exactly these configs and secrets (used by the worker)."""
        obj = cls.__new__(cls)
        merged = dict(cls._DEFAULT_CONFIGS)
        merged.update({k: v for k, v in (configs or {}).items() if v is not None})
        _Connection.__init__(obj, name=name, configs=merged, secrets=secrets)
        return obj

    def keys(self):
        """Config and secret names, so that `**connection` works."""
        return list(self.configs.keys()) + list(self.secrets.keys())

    def __getitem__(self, key):
        if key in self.secrets:
            return self.secrets[key]
        if key in self.configs:
            return self.configs[key]
        raise KeyError("Key %r not found in connection %r." % (key, self.name))

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __repr__(self):
        shown = dict(self.configs)
        shown.update({k: _SCRUBBED for k in self.secrets})
        return "%s(name=%r, %r)" % (type(self).__name__, self.name, shown)


class _StrongTypeConnection(_Connection):
    @property
    def api_key(self):
        return self.secrets.get("api_key")

    @api_key.setter
    def api_key(self, value):
        self.secrets["api_key"] = value


def _config_property(key):
    def getter(self):
        return self.configs.get(key)

    def setter(self, value):
        self.configs[key] = value

    return property(getter, setter)


class AzureOpenAIConnection(_StrongTypeConnection):
    TYPE = "AzureOpenAI"
    _DEFAULT_CONFIGS = {"api_type": "azure", "api_version": "2024-02-01", "auth_mode": "key"}

    def __init__(self, api_base, api_key=None, api_type="azure", api_version="2024-02-01",
                 auth_mode="key", **kwargs):
        configs = {"api_base": api_base, "api_type": api_type, "api_version": api_version,
                   "auth_mode": auth_mode}
        secrets = {"api_key": api_key} if auth_mode == "key" else {}
        super().__init__(configs=configs, secrets=secrets, **kwargs)

    api_base = _config_property("api_base")
    api_type = _config_property("api_type")
    api_version = _config_property("api_version")

    @property
    def auth_mode(self):
        return self.configs.get("auth_mode") or "key"

    @auth_mode.setter
    def auth_mode(self, value):
        self.configs["auth_mode"] = value

    @property
    def api_key(self):
        return self.secrets.get("api_key") if self.auth_mode == "key" else None

    @api_key.setter
    def api_key(self, value):
        self.secrets["api_key"] = value


class OpenAIConnection(_StrongTypeConnection):
    TYPE = "OpenAI"

    def __init__(self, api_key, organization=None, base_url=None, **kwargs):
        if base_url in ("", "_"):
            base_url = None
        super().__init__(configs={"organization": organization, "base_url": base_url},
                         secrets={"api_key": api_key}, **kwargs)

    organization = _config_property("organization")

    @property
    def base_url(self):
        return self.configs.get("base_url") or None

    @base_url.setter
    def base_url(self, value):
        self.configs["base_url"] = value


class ServerlessConnection(_StrongTypeConnection):
    TYPE = "Serverless"

    def __init__(self, api_key, api_base, **kwargs):
        super().__init__(configs={"api_base": api_base}, secrets={"api_key": api_key}, **kwargs)

    api_base = _config_property("api_base")


class SerpConnection(_StrongTypeConnection):
    TYPE = "Serp"

    def __init__(self, api_key, **kwargs):
        super().__init__(secrets={"api_key": api_key}, **kwargs)


class CognitiveSearchConnection(_StrongTypeConnection):
    TYPE = "CognitiveSearch"
    _DEFAULT_CONFIGS = {"api_version": "2023-11-01"}

    def __init__(self, api_key, api_base, api_version="2023-11-01", **kwargs):
        super().__init__(configs={"api_base": api_base, "api_version": api_version},
                         secrets={"api_key": api_key}, **kwargs)

    api_base = _config_property("api_base")
    api_version = _config_property("api_version")


class AzureContentSafetyConnection(_StrongTypeConnection):
    TYPE = "AzureContentSafety"

    def __init__(self, api_key, endpoint, api_version="2023-10-01", api_type="Content Safety",
                 **kwargs):
        super().__init__(configs={"endpoint": endpoint, "api_version": api_version,
                                  "api_type": api_type},
                         secrets={"api_key": api_key}, **kwargs)

    endpoint = _config_property("endpoint")
    api_version = _config_property("api_version")
    api_type = _config_property("api_type")


class FormRecognizerConnection(AzureContentSafetyConnection):
    TYPE = "FormRecognizer"


class CustomConnection(_Connection):
    """Free-form connection: `configs` and `secrets`, each key also readable as an attribute."""

    TYPE = "Custom"

    def __init__(self, secrets=None, configs=None, **kwargs):
        super().__init__(secrets=secrets, configs=configs, **kwargs)

    def __getattr__(self, item):
        # Only called when normal lookup fails; guard against lookups before __init__ ran.
        state = self.__dict__
        if "secrets" in state and item in state["secrets"]:
            return state["secrets"][item]
        if "configs" in state and item in state["configs"]:
            return state["configs"][item]
        raise AttributeError("%r connection has no config or secret %r"
                             % (state.get("name"), item))

    def is_secret(self, item):
        return item in self.secrets


class CustomStrongTypeConnection(CustomConnection):
    """Base of user-defined typed connections; fields are read from configs/secrets."""


def _type_key(text):
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


#: Flowbench/promptflow YAML type names (open_ai, azure_open_ai, ...) and class names -> class.
_BY_TYPE = {}
for _cls in (OpenAIConnection, AzureOpenAIConnection, ServerlessConnection, SerpConnection,
             CognitiveSearchConnection, AzureContentSafetyConnection, FormRecognizerConnection,
             CustomConnection):
    _BY_TYPE[_type_key(_cls.TYPE)] = _cls
    _BY_TYPE[_type_key(_cls.__name__)] = _cls


def _class_for_type(type_name):
    """The connection class for a type name such as "azure_open_ai", or None if unknown."""
    return _BY_TYPE.get(_type_key(type_name))
