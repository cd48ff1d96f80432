"""The course model: loading, validation and the typed, immutable classes.

Plugins read a course through :mod:`pmkit.model.course` (re-exported here).
"""

from pmkit.model.course import (
    Attribution,
    ChoiceOption,
    ChoiceQuestion,
    CombinedFeedback,
    ContinuousGrowth,
    Course,
    CourseLink,
    DecisionTree,
    Distractor,
    FirstSteps,
    Future,
    Guidance,
    KnowledgeCheck,
    KnowledgeQuestion,
    MatchingQuestion,
    MatchPair,
    OrderingQuestion,
    OrderItem,
    Points,
    QuestionGroup,
    ScorerDefaults,
    Section,
    SelfDiscovery,
    Source,
    Track,
    TreeNode,
    TreeOption,
    TrueFalseQuestion,
    WorkEnvironment,
    YesNoQuestion,
)

__all__ = [
    "Attribution", "ChoiceOption", "ChoiceQuestion", "CombinedFeedback", "ContinuousGrowth",
    "Course", "CourseLink", "DecisionTree", "Distractor", "FirstSteps", "Future", "Guidance",
    "KnowledgeCheck", "KnowledgeQuestion", "MatchPair", "MatchingQuestion", "OrderItem",
    "OrderingQuestion", "Points", "QuestionGroup", "ScorerDefaults", "Section", "SelfDiscovery",
    "Source", "Track", "TreeNode", "TreeOption", "TrueFalseQuestion", "WorkEnvironment",
    "YesNoQuestion",
]
