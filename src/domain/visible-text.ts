// One rule for "this text shows nothing", shared by the API (which refuses such replies, notes, canned responses
// and templates as empty) and the web app's composer (which says so before sending). Plain TypeScript without
// dependencies, so the web bundle can take it as it is.

/**
 * Whether `text` shows anything: false for text made only of white space and invisible characters (zero-width
 * space and joiners, word joiner, byte-order mark, soft hyphen, direction marks: Unicode's
 * Default_Ignorable_Code_Point), which would go out as an empty-looking message.
 */
export const hasVisibleText = (text: string): boolean => !/^[\s\p{Default_Ignorable_Code_Point}]*$/u.test(text);
