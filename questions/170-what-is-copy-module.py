# snipcheck: question 170: What is copy module?
# guide: guides/python-advanced.txt, line 109

# example at line 113
import copy
a = [1, 2, 3]
b = copy.copy(a)
