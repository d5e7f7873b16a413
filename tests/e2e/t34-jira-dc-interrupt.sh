#!/usr/bin/env bash
# t33-jira-interrupt.sh against a Data Center fake without bulk create, for
# 12 items: one create request per item, each journaled alone, each a point
# to kill at.
JIRA_DEPLOYMENT=datacenter JIRA_ITEMS=12 JIRA_TEST_NAME=t34-jira-dc-interrupt \
	exec bash "$(dirname "$0")/t33-jira-interrupt.sh"
