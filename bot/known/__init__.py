"""Known claims: publishing the guild's verdicts (ClaimReview), looking up published
fact-checks (Google Fact Check Tools) and recognising repeated claims."""
