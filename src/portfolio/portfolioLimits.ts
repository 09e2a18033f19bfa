/** The most files one `credreg verify --portfolio` takes: every file's bytes are held until the summary is made. */
export const MAX_PORTFOLIO_FILES = 20_000;
/** The most credentials one `POST /v1/portfolios` may carry (and the portfolio page reads), and the most pathways. */
export const MAX_PORTFOLIO_CREDENTIALS = 1_000;
export const MAX_PORTFOLIO_PATHWAYS = 50;

/** An e-mail address as far as comparing it with a hashed identity needs: something@something, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;
