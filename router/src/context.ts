/** What the router knows about a request; forwarded to subgraphs in signed headers. */
export interface RouterContext {
  /** '' for an anonymous caller. */
  userId: string;
  clientIp: string;
}
