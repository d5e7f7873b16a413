#!/usr/bin/env bash
# t30-jira-sync.sh against a Data Center fake: REST v2, wiki markup, user
# names, startAt paging, and a site without bulk create (single creates).
JIRA_DEPLOYMENT=datacenter JIRA_DC_BULK=0 JIRA_TEST_NAME=t31-jira-dc-sync \
	exec bash "$(dirname "$0")/t30-jira-sync.sh"
