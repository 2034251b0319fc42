"""The data model, grouped by aggregate."""
from .baseline import BaselineFigure, BenchmarkBaseline
from .campaign import Campaign
from .maturity import MaturityAnswer, MaturityContributor, MaturityReturn
from .organisation import Organisation
from .outbox import OutboxMessage
from .participant import Participant
from .peer_group import NamedPeerGroup, PeerGroupMember
from .questionnaire import QuestionnaireVersion
from .release import CampaignReleaseEvent
from .response import Answer, QueuedSubmission, Response, SubmittedAnswer, SubmittedResponse
from .sign_in import AccountGuard, ClientWindow, StaffSession
from .user import User

__all__ = ["AccountGuard", "Answer", "BaselineFigure", "BenchmarkBaseline", "Campaign", "CampaignReleaseEvent",
           "ClientWindow", "MaturityAnswer", "MaturityContributor", "MaturityReturn", "NamedPeerGroup", "Organisation", "OutboxMessage", "Participant", "PeerGroupMember",
           "QuestionnaireVersion", "QueuedSubmission", "Response", "SubmittedAnswer", "SubmittedResponse", "StaffSession", "User"]
