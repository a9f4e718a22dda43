/** Server and model messages are lower-case fragments ("wrong username or password"); shown alone they read as sentences. */
export function sentence(text: string): string {
  const capitalized = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
