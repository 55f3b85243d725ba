import { codePointLength, MAX_TEXT_CHARACTERS } from './text-length';

describe('codePointLength', () => {
  it('counts code points: an emoji or a CJK extension B character is one, as a person counts', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('héllo')).toBe(5);
    expect(codePointLength('😀'.repeat(MAX_TEXT_CHARACTERS))).toBe(MAX_TEXT_CHARACTERS);
    expect('😀'.repeat(MAX_TEXT_CHARACTERS).length).toBe(2 * MAX_TEXT_CHARACTERS);
    expect(codePointLength('𠀀𠀁')).toBe(2);
  });
});
