"""The learning platform's side of an LTI 1.3 launch (Canvas's, Moodle's), on loopback, for
tests/test_hub.py: the hub's LTI13Authenticator (jupyterhub-ltiauthenticator) signs a student in
through it as it would through the school's LMS.

- `/jwks`: the platform's JSON Web Key Set, which the hub fetches to check the id_token's signature;
- `/launch`: the student's click in the LMS: a form that the browser posts to the hub's OIDC login
  initiation URL (iss, login_hint, target_link_uri, client_id, lti_deployment_id);
- `/authorize`: the platform's authorization endpoint, where the hub sends the browser with its
  state and nonce: the platform answers with a form that posts the signed id_token and that state
  to the hub's redirect URI (response_mode=form_post).

The id_token carries the claims that the LTI 1.3 specification requires and the authenticator
checks. It is signed with `signing_key`: the key whose public half the JWKS publishes, unless a test
sets another (a forger's)."""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def auto_post(action: str, fields: dict[str, str]) -> bytes:
    """A page that posts `fields` to `action` as soon as it loads, as an LMS's launch page does."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return (
        f'<!doctype html><html><body><form id="f" method="post" action="{html.escape(action)}">{inputs}'
        '</form><script>document.getElementById("f").submit()</script></body></html>'
    ).encode()


class Platform:
    """An LTI 1.3 platform for one hub (`hub_url`) and one tool registration (`client_id`)."""

    def __init__(self, hub_url: str, client_id: str = "maximum-likelihood-hub", deployment_id: str = "1"):
        self.hub_url, self.client_id, self.deployment_id = hub_url, client_id, deployment_id
        self.key = new_key()
        self.kid = uuid.uuid4().hex
        self.signing_key = self.key
        self.authorize_requests: list[dict[str, str]] = []  # what the hub sent the browser here with
        self.launches: dict[str, dict] = {}  # login_hint: the launch's user and target
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def registration(self) -> dict:
        """What the hub's LTI13Authenticator is told of the platform (the instructor copies it from
        the LMS): its issuer, authorization endpoint, key set and the tool's client ID."""
        return {
            "issuer": self.url,
            "authorize_url": f"{self.url}/authorize",
            "jwks_endpoint": f"{self.url}/jwks",
            "client_id": [self.client_id],
        }

    def launch_url(self, email: str, target_link_uri: str) -> str:
        """The link in the LMS that starts a launch of `target_link_uri` for the student `email`."""
        hint = uuid.uuid4().hex  # opaque to the hub, which hands it back to /authorize
        self.launches[hint] = {"email": email, "target": target_link_uri}
        return f"{self.url}/launch?{urlencode({'hint': hint})}"

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, launch: dict, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": uuid.uuid5(uuid.NAMESPACE_URL, launch["email"]).hex,
            "email": launch["email"],
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            LTI + "version": "1.3.0",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": launch["target"],
            LTI + "resource_link": {"id": "chapter-link"},
            LTI + "roles": [LEARNER],
            LTI + "context": {"id": "course", "label": "MLE", "title": "Maximum likelihood"},
        }
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid})

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                if parts.path == "/jwks":
                    self.answer(json.dumps(platform.jwks()).encode(), "application/json")
                elif parts.path == "/launch":
                    launch = platform.launches[query["hint"]]
                    fields = {
                        "iss": platform.url,
                        "login_hint": query["hint"],
                        "target_link_uri": launch["target"],
                        "client_id": platform.client_id,
                        "lti_deployment_id": platform.deployment_id,
                    }
                    self.answer(auto_post(f"{platform.hub_url}/hub/lti13/oauth_login", fields))
                elif parts.path == "/authorize":
                    platform.authorize_requests.append(query)
                    token = platform.id_token(platform.launches[query["login_hint"]], query["nonce"])
                    self.answer(
                        auto_post(query["redirect_uri"], {"id_token": token, "state": query["state"]})
                    )
                else:
                    self.send_error(404)

            def answer(self, body: bytes, kind: str = "text/html") -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002 - keep pytest's output clean
                pass

        return Handler

    def __enter__(self) -> Platform:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
