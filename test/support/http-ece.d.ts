/** http_ece (the reference Encrypted Content-Encoding implementation) ships no types; what the tests use. */
declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  interface Parameters {
    version: "aes128gcm";
    privateKey: ECDH;
    /** base64url or bytes. */
    authSecret: string | Buffer;
  }
  const ece: { decrypt(buffer: Buffer, parameters: Parameters): Buffer };
  export default ece;
}
