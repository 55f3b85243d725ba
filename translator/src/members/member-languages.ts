/** Where the translator learns which languages a conversation's members read. */
export interface MemberLanguages {
  /**
   * Distinct preferred languages of the conversation's current members; [] when the conversation
   * does not exist. Throws when the answer cannot be had (the message is retried).
   */
  languagesOf(conversationId: string, asUserId: string): Promise<string[]>;
}
