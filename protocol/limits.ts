/** Limits shared by the browser and the server; the server enforces every one of them. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 10;
/** Bounded so hashing cost cannot be inflated by a huge password. */
export const PASSWORD_MAX_LENGTH = 256;
export const CHANNEL_NAME_MAX_LENGTH = 64;
/** Largest message payload (the encrypted bytes, before base64). */
export const MESSAGE_PAYLOAD_MAX_BYTES = 64 * 1024;
/** Largest socket frame the room reads: a full payload in base64 plus its envelope. */
export const SOCKET_FRAME_MAX_BYTES = 96 * 1024;
export const CLIENT_ID_MAX_LENGTH = 64;
export const HISTORY_PAGE_MAX = 100;
/** Largest JSON body an HTTP route reads. */
export const HTTP_BODY_MAX_BYTES = 16 * 1024;
