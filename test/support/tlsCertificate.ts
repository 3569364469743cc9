// A self-signed certificate for 127.0.0.1, made at test time by the system's openssl, as a relay
// with its own certificate (or a TLS-inspecting proxy) presents one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsCertificate {
  key: Buffer;
  cert: Buffer;
}

export function selfSignedCertificate(dir: string): TlsCertificate {
  const key = join(dir, 'relay.key');
  const cert = join(dir, 'relay.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
